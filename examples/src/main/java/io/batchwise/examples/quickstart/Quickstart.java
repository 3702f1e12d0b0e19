package io.batchwise.examples.quickstart;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.examples.ExampleApp;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The smallest useful program: build a {@link Batchwise}, embed a few texts, compare them.
 *
 * <pre>
 * ./batchwise example quickstart              # the local model (no key, no server)
 * ./batchwise example quickstart openai       # OPENAI_API_KEY from the environment
 * </pre>
 */
public final class Quickstart implements ExampleApp {

  /**
   * Runs the example.
   *
   * @param args optionally a provider id
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new Quickstart().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "quickstart";
  }

  @Override
  public String summary() {
    return "embed a few texts and compare them [PROVIDER]";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    String provider = args.isEmpty() ? "local" : args.get(0);
    List<String> texts =
        List.of(
            "The cat sleeps on the warm windowsill.",
            "A kitten naps in the sun by the window.",
            "Interest rates rose again this quarter.",
            "The cat sleeps on the warm windowsill."); // a duplicate: embedded once

    try (Batchwise bw = Batchwise.builder().provider(provider).build()) {
      EmbedResult result = bw.embedder().embedAll(texts);
      List<float[]> vectors = result.vectors(); // throws if any input failed
      out.printf(
          Locale.ROOT,
          "%d vectors of %d dimensions from %s/%s%n",
          vectors.size(),
          vectors.get(0).length,
          bw.embedder().providerId(),
          bw.embedder().modelInfo().modelId());
      for (int i = 1; i < 3; i++) {
        out.printf(
            Locale.ROOT,
            "cosine(\"%s\", \"%s\") = %.3f%n",
            texts.get(0),
            texts.get(i),
            cosine(vectors.get(0), vectors.get(i)));
      }
      out.println(
          result.usage()); // inputs, unique inputs, cache hits, calls, retries, tokens, time
    }
    return 0;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}

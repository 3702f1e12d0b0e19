package io.batchwise.examples.thirdparty;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.meters.MeterNames;
import io.batchwise.metrics.BatchwiseMetrics;
import io.batchwise.metrics.JobReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A third-party provider, used by id: the {@code hashing} provider lives in its own module ({@code
 * examples/custom-provider}) that knows nothing but core's SPI, and is found through {@code
 * META-INF/services}. Chosen with {@code .provider("hashing")}, it gets the pipeline's dedupe,
 * caching, micro-batching across the cores and metrics without a line of code for any of them.
 *
 * <pre>
 * ./batchwise example custom-provider
 * </pre>
 */
public final class CustomProviderExample implements ExampleApp {

  /**
   * Runs the example.
   *
   * @param args none
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new CustomProviderExample().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "custom-provider";
  }

  @Override
  public String summary() {
    return "a third-party provider from its own module, used by id, with cache and metrics for free";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> texts = new ArrayList<>();
    for (SampleCorpus.Paragraph p : SampleCorpus.paragraphs()) {
      texts.add(p.text());
    }
    texts.addAll(texts.subList(0, 30)); // some repeats, embedded once

    MeterRegistry registry = BatchwiseMetrics.configure(new SimpleMeterRegistry());
    try (Batchwise bw =
        Batchwise.builder()
            .meterRegistry(registry)
            .provider("hashing") // found by id through META-INF/services
            .cache("caffeine") // an in-memory cache from batchwise-cache
            .concurrency(4)
            .build()) {
      EmbedResult first = bw.embedder().embedAll(texts);
      EmbedResult second = bw.embedder().embedAll(texts); // answered by the cache
      out.printf(
          Locale.ROOT,
          "provider %s, model %s, %d dimensions%n",
          bw.embedder().providerId(),
          bw.embedder().modelInfo().modelId(),
          bw.embedder().modelInfo().dimensions());
      out.println("first run:  " + first.usage());
      out.println("second run: " + second.usage());
      out.printf(
          Locale.ROOT,
          "meters: %.0f provider calls, %.0f cache hits, %.0f cache misses%n",
          count(bw, MeterNames.EMBED_CALLS),
          count(bw, MeterNames.CACHE_HITS),
          count(bw, MeterNames.CACHE_MISSES));
      err.print(
          JobReport.from(registry, "embed").toText()); // the metrics module's end-of-job report
    }
    return 0;
  }

  private static double count(Batchwise bw, String name) {
    return bw.meterRegistry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}

package io.batchwise.examples.openaionly;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An app that picked its modules: it declares {@code batchwise-core} and {@code
 * batchwise-providers-openai} and nothing else, so it carries no ONNX Runtime, no tokenizer native
 * library and no model file. It embeds its arguments through any OpenAI-compatible API.
 *
 * <pre>
 * OPENAI_API_KEY=... java -cp ... io.batchwise.examples.openaionly.OpenAiOnlyApp "first text" "second text"
 * OPENAI_BASE_URL=http://localhost:11434/v1 BATCHWISE_OPENAI_DIMENSIONS=768 BATCHWISE_MODEL=nomic-embed-text java -cp ... ...
 * </pre>
 */
public final class OpenAiOnlyApp {
  private OpenAiOnlyApp() {}

  /**
   * Embeds the arguments and prints what it did.
   *
   * @param args the texts
   */
  public static void main(String[] args) {
    EmbedResult result = embed(List.of(args), Map.of(), System.getProperties(), System.getenv());
    System.out.println(result.vectors().size() + " vectors; " + result.usage());
  }

  /**
   * Embeds texts with the {@code openai} provider.
   *
   * @param texts the texts
   * @param options Batchwise options, e.g. {@code openai.base-url}
   * @param systemProperties where {@code -Dbatchwise.*} options come from
   * @param environment where {@code BATCHWISE_*} options and {@code OPENAI_API_KEY} come from
   * @return the result
   */
  public static EmbedResult embed(
      List<String> texts,
      Map<String, String> options,
      Properties systemProperties,
      Map<String, String> environment) {
    try (Batchwise bw =
        Batchwise.builder()
            .sources(systemProperties, environment)
            .provider("openai")
            .options(options)
            .build()) {
      return bw.embedder().embedAll(texts);
    }
  }
}

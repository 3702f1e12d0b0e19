package io.batchwise.examples.caffeineonly;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An app that picked its modules: it caches embeddings in memory, so it declares {@code
 * batchwise-cache} and neither {@code batchwise-cache-sqlite} nor {@code batchwise-cache-redis},
 * and carries no SQLite driver, no Lettuce, no Netty and no Reactor. It embeds its arguments twice
 * with the {@code hashing} provider of the custom-provider example; the second time the {@code
 * caffeine} cache answers.
 *
 * <pre>
 * java -cp ... io.batchwise.examples.caffeineonly.CaffeineOnlyApp "first text" "second text"
 * </pre>
 */
public final class CaffeineOnlyApp {
  private CaffeineOnlyApp() {}

  /**
   * Embeds the arguments twice and prints what each run did.
   *
   * @param args the texts
   */
  public static void main(String[] args) {
    List<EmbedResult> runs =
        embedTwice(List.of(args), Map.of(), System.getProperties(), System.getenv());
    System.out.println("first run:  " + runs.get(0).usage());
    System.out.println("second run: " + runs.get(1).usage());
  }

  /**
   * Embeds texts twice through one {@code Batchwise} with the {@code caffeine} cache.
   *
   * @param texts the texts
   * @param options Batchwise options, e.g. {@code cache.max-entries}
   * @param systemProperties where {@code -Dbatchwise.*} options come from
   * @param environment where {@code BATCHWISE_*} options come from
   * @return the two results, the second answered by the cache
   */
  public static List<EmbedResult> embedTwice(
      List<String> texts,
      Map<String, String> options,
      Properties systemProperties,
      Map<String, String> environment) {
    try (Batchwise bw =
        Batchwise.builder()
            .sources(systemProperties, environment)
            .provider("hashing")
            .cache("caffeine")
            .options(options)
            .build()) {
      EmbedResult first = bw.embedder().embedAll(texts);
      EmbedResult second = bw.embedder().embedAll(texts);
      return List.of(first, second);
    }
  }
}

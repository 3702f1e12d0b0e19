package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import java.util.Map;
import java.util.Properties;

/** Builds {@code Batchwise} instances whose mapper talks to a loopback chat server, for tests. */
final class MapperTestSupport {
  /** The instruction the tests run. */
  static final String INSTRUCTION = "Label the item and count its characters.";

  private MapperTestSupport() {}

  /**
   * A {@code Batchwise} whose {@code openai} mapper sends to {@code baseUrl} with the test key,
   * isolated from the machine's system properties and environment.
   *
   * @param baseUrl the server's {@code /v1} URL
   * @param options further options (key, value, ...)
   * @return the instance; the caller closes it
   */
  static Batchwise batchwise(String baseUrl, String... options) {
    Batchwise.Builder b =
        Batchwise.builder()
            .option(
                "mapper",
                "openai") // the embedding provider is not openai: the server options count for the
            // mapper
            .option("openai.base-url", baseUrl)
            .option("openai.api-key", TestProviders.KEY)
            .sources(new Properties(), Map.of());
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.build();
  }
}

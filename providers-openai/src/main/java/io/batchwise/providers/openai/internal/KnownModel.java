package io.batchwise.providers.openai.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this provider knows about an OpenAI embedding model without asking the server.
 *
 * @param name the model name
 * @param nativeDimensions the length of its full vectors
 * @param acceptsDimensions whether the API shortens its vectors on request ({@code dimensions}
 *     field)
 */
record KnownModel(String name, int nativeDimensions, boolean acceptsDimensions) {

  private static final Map<String, KnownModel> MODELS =
      Map.of(
          "text-embedding-3-small", new KnownModel("text-embedding-3-small", 1536, true),
          "text-embedding-3-large", new KnownModel("text-embedding-3-large", 3072, true),
          "text-embedding-ada-002", new KnownModel("text-embedding-ada-002", 1536, false));

  /**
   * The known model of this name.
   *
   * @param name a model name
   * @return its facts, or empty for a model this provider does not know (then {@code
   *     openai.dimensions} is required)
   */
  static Optional<KnownModel> of(String name) {
    return Optional.ofNullable(MODELS.get(name));
  }

  /**
   * @return the known names, sorted
   */
  static List<String> names() {
    return MODELS.keySet().stream().sorted().toList();
  }
}

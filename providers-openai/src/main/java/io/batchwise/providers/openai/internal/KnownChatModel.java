package io.batchwise.providers.openai.internal;

import java.util.List;
import java.util.Optional;

/**
 * What the mapper knows about an OpenAI chat model without asking the server: its context window,
 * the most tokens it writes in one answer, and its list prices in US dollars per million tokens
 * (prompt, prompt served from the server's prompt cache, completion).
 *
 * @param name the model name; dated snapshots ({@code gpt-4o-mini-2024-07-18}) match it as a prefix
 * @param contextWindow prompt and answer tokens together
 * @param maxOutputTokens most completion tokens
 * @param inputPrice USD per million prompt tokens
 * @param cachedInputPrice USD per million prompt tokens the server served from its cache
 * @param outputPrice USD per million completion tokens
 */
record KnownChatModel(
    String name,
    int contextWindow,
    int maxOutputTokens,
    double inputPrice,
    double cachedInputPrice,
    double outputPrice) {

  /** Longest names first, so that {@code gpt-4o-mini} is matched before {@code gpt-4o}. */
  private static final List<KnownChatModel> MODELS =
      List.of(
          new KnownChatModel("gpt-4.1-nano", 1_047_576, 32_768, 0.10, 0.025, 0.40),
          new KnownChatModel("gpt-4.1-mini", 1_047_576, 32_768, 0.40, 0.10, 1.60),
          new KnownChatModel("gpt-4o-mini", 128_000, 16_384, 0.15, 0.075, 0.60),
          new KnownChatModel("gpt-4.1", 1_047_576, 32_768, 2.00, 0.50, 8.00),
          new KnownChatModel("gpt-4o", 128_000, 16_384, 2.50, 1.25, 10.00));

  /**
   * The known model of this name or a dated snapshot of it.
   *
   * @param model a model name
   * @return its facts, or empty
   */
  static Optional<KnownChatModel> of(String model) {
    for (KnownChatModel m : MODELS) {
      if (model.equals(m.name) || model.startsWith(m.name + "-20")) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * @return the known names
   */
  static List<String> names() {
    return MODELS.stream().map(KnownChatModel::name).sorted().toList();
  }
}

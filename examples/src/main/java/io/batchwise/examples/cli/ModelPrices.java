package io.batchwise.examples.cli;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * List prices of the embedding models whose prices are public and stable, in US dollars per million
 * input tokens (OpenAI's price list; override with {@code --price-per-mtok} for a discount, batch
 * pricing, another vendor or a price change).
 */
final class ModelPrices {
  private ModelPrices() {}

  private static final Map<String, Double> OPENAI = Map.of(
      "text-embedding-3-small", 0.02,
      "text-embedding-3-large", 0.13,
      "text-embedding-ada-002", 0.10);

  /**
   * The price of a provider's model.
   *
   * @param provider the provider id
   * @param model the model id
   * @return dollars per million tokens, or empty when unknown
   */
  static OptionalDouble perMillionTokens(String provider, String model) {
    Double price = provider.equals("openai") ? OPENAI.get(model) : null;
    return price == null ? OptionalDouble.empty() : OptionalDouble.of(price);
  }
}

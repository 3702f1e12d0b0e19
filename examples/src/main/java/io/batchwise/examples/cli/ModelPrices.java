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

  private static final Map<String, Double> OPENAI =
      Map.of(
          "text-embedding-3-small", 0.02,
          "text-embedding-3-large", 0.13,
          "text-embedding-ada-002", 0.10);

  /** What OpenAI's Batch API charges, as a share of the list price. */
  static final double BATCH_API_SHARE = 0.5;

  /**
   * The Batch API's price for a synchronous price, for providers that have one ({@code openai}).
   *
   * @param provider the provider id
   * @param synchronous dollars per million tokens of synchronous calls (NaN when unknown)
   * @return dollars per million tokens through the Batch API, NaN when the provider has none or the
   *     price is unknown
   */
  static double batchPerMillionTokens(String provider, double synchronous) {
    return provider.equals("openai") ? synchronous * BATCH_API_SHARE : Double.NaN;
  }

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

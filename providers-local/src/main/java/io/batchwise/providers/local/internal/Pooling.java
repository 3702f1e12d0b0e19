package io.batchwise.providers.local.internal;

import io.batchwise.config.ConfigurationException;
import java.util.Locale;

/** How a model's token vectors become one sentence vector. */
enum Pooling {
  /** The mean of the token vectors, weighted by the attention mask (padding excluded). */
  MEAN,
  /** The vector of the first token, {@code [CLS]}. */
  CLS;

  /**
   * Parses an option value.
   *
   * @param option the option key, for the message
   * @param value {@code mean} or {@code cls}, any case
   * @return the pooling
   * @throws ConfigurationException naming the option, the value and the allowed ones
   */
  static Pooling parse(String option, String value) {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "mean":
        return MEAN;
      case "cls":
        return CLS;
      default:
        throw new ConfigurationException(
            "option '" + option + "' must be mean or cls, was '" + value + "'");
    }
  }

  /**
   * The lowercase name used in options and model ids.
   *
   * @return {@code mean} or {@code cls}
   */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

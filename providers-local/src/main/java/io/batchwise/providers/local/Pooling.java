package io.batchwise.providers.local;

import java.util.Locale;

/**
 * How a model's token vectors become one sentence vector: the values of {@link
 * LocalOptions#POOLING}.
 */
public enum Pooling {
  /** The mean of the token vectors, weighted by the attention mask (padding excluded). */
  MEAN,
  /** The vector of the first token, {@code [CLS]}. */
  CLS;

  /**
   * The lowercase name used in options and model ids.
   *
   * @return {@code mean} or {@code cls}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

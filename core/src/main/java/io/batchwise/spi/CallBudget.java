package io.batchwise.spi;

import java.util.Objects;

/**
 * The per-minute budget of one provider's calls that a {@link CallPacer} holds for a {@code
 * Batchwise} instance: the configured limits ({@code requests-per-minute}, {@code
 * tokens-per-minute}) and what the service reports through the provider's own pacer. The limits in
 * force are the stricter of the two, read again at every reservation, since a service may report
 * other limits as it goes.
 *
 * <pre>{@code
 * CallBudget budget = new CallBudget("openai:text-embedding-3-small", 3_000, 1_000_000, provider.pacer());
 * int rpm = budget.requestsPerMinuteInForce(); // 3,000, or less if the service says so
 * }</pre>
 *
 * @param name the provider and model, e.g. {@code openai:text-embedding-3-small}: the default name
 *     of a budget that several processes share
 * @param requestsPerMinute the configured calls started per minute, 0 for no limit of its own
 * @param tokensPerMinute the configured tokens started per minute, 0 for no limit of its own
 * @param reported what the service reports (the provider's {@link EmbeddingProvider#pacer()}), or
 *     {@link CallPacer#NONE}
 */
public record CallBudget(
    String name, int requestsPerMinute, long tokensPerMinute, CallPacer reported) {

  /** Checks the values. */
  public CallBudget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reported, "reported");
    if (requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException(
          "requestsPerMinute ("
              + requestsPerMinute
              + ") and tokensPerMinute ("
              + tokensPerMinute
              + ") must be 0 (no limit) or more");
    }
  }

  /**
   * The requests per minute in force now.
   *
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  public int requestsPerMinuteInForce() {
    return (int) stricter(requestsPerMinute, reported.requestsPerMinute());
  }

  /**
   * The tokens per minute in force now.
   *
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  public long tokensPerMinuteInForce() {
    return stricter(tokensPerMinute, reported.tokensPerMinute());
  }

  /**
   * The stricter of two limits where 0 (or less) means none.
   *
   * @param configured one limit
   * @param reported the other
   * @return the lower positive one, 0 when neither is positive
   */
  public static long stricter(long configured, long reported) {
    if (configured <= 0) {
      return Math.max(0, reported);
    }
    return reported <= 0 ? configured : Math.min(configured, reported);
  }
}

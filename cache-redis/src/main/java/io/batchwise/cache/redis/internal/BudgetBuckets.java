package io.batchwise.cache.redis.internal;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * The two token buckets of one per-minute budget — one of requests, one of tokens — either held in
 * Redis (shared by every process) or in this process (its share while Redis is unreachable).
 *
 * <p>A reservation takes its request and tokens at once, whatever the bucket holds (Bucket4j's
 * {@code consumeIgnoringRateLimits}): the bucket goes below zero and Bucket4j answers how long
 * until it is refilled to where the reservation would have fitted — the wait before the call starts
 * — so the next reservation waits behind it. A call larger than a bucket is one reservation, not
 * parts.
 *
 * <p>Each bucket starts empty and holds at most a tenth of a second's worth of its rate: after a
 * pause a budget sends no burst (a bucket sized to the whole minute would let 600 requests go at
 * once under a limit of 600 per minute), so no 10 s window sees more than its share plus one tenth
 * of a second's.
 *
 * @param requests the bucket of requests, or null when the budget has no limit on requests
 * @param tokens the bucket of tokens, or null when it has no limit on tokens
 */
record BudgetBuckets(Bucket requests, Bucket tokens) {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /**
   * The buckets of a budget.
   *
   * @param limits the limits in force
   * @param share the number of processes the limits are divided among (1 for the shared buckets)
   * @param bucket makes a bucket of a kind ({@code requests} or {@code tokens}) and configuration
   * @return the buckets
   */
  static BudgetBuckets of(
      Limits limits, int share, BiFunction<String, BucketConfiguration, Bucket> bucket) {
    long rpm = perShare(limits.requestsPerMinute(), share);
    long tpm = perShare(limits.tokensPerMinute(), share);
    return new BudgetBuckets(
        rpm == 0 ? null : bucket.apply("requests", configuration(rpm)),
        tpm == 0 ? null : bucket.apply("tokens", configuration(tpm)));
  }

  /** A share of a limit, never rounded down to no limit at all. */
  private static long perShare(long perMinute, int share) {
    return perMinute == 0 ? 0 : Math.max(1, perMinute / share);
  }

  /**
   * The configuration of a bucket refilled at {@code perMinute}.
   *
   * @param perMinute the rate
   * @return the configuration
   */
  static BucketConfiguration configuration(long perMinute) {
    long capacity = Math.max(1, perMinute / 600);
    return BucketConfiguration.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(perMinute, MINUTE)
                .initialTokens(0)
                .build())
        .build();
  }

  /**
   * Reserves one request and {@code tokens} tokens.
   *
   * @param tokens the call's tokens
   * @return the nanoseconds to wait before the call starts
   */
  long reserve(long tokens) {
    long wait = requests == null ? 0 : requests.consumeIgnoringRateLimits(1);
    if (this.tokens != null && tokens > 0) {
      wait = Math.max(wait, this.tokens.consumeIgnoringRateLimits(tokens));
    }
    return wait;
  }

  /**
   * The limits in force, per minute; 0 for none.
   *
   * @param requestsPerMinute requests per minute
   * @param tokensPerMinute tokens per minute
   */
  record Limits(long requestsPerMinute, long tokensPerMinute) {
    boolean none() {
      return requestsPerMinute == 0 && tokensPerMinute == 0;
    }
  }
}

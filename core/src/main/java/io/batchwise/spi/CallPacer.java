package io.batchwise.spi;

import java.time.Duration;

/**
 * Paces the calls of a job: before the scheduler starts a call it asks {@link #reserve(long)},
 * which reserves one request and the call's tokens and says how long to wait; the scheduler then
 * starts the call after that wait without asking again (a retry is a call of its own and reserves
 * too).
 *
 * <p>Two kinds exist. A pacer that keeps count — a {@code Batchwise} instance's requests- and
 * tokens-per-minute limits for its provider ({@code Batchwise.callLimits()}), shared by every job
 * that calls that provider, or one shared by several processes through a store they all reach —
 * records the call as started at the end of the wait it returns. A pacer that only reports what a
 * remote service said — a provider reading headers such as {@code x-ratelimit-remaining-requests},
 * through {@link EmbeddingProvider#pacer()} — records nothing and returns the wait until the
 * service's window resets when nothing remains.
 *
 * <p>It lives in the SPI package because providers implement it and the scheduler ({@code
 * io.batchwise.scheduler.JobOptions}, {@code CallLimits}) consumes it; it depends on nothing of
 * either.
 *
 * <p>Implementations must be thread-safe and quick: they run on the scheduler's loop. A pacer
 * backed by a remote store should answer from what it already knows (or a bounded local wait)
 * rather than block the loop on a network round trip.
 *
 * <pre>{@code
 * CallPacer onePerSecond = tokens -> Duration.ofSeconds(1); // reports only: waits a second before every call
 * JobOptions<Doc> options = JobOptions.<Doc>builder().pacer(onePerSecond).build();
 * }</pre>
 */
@FunctionalInterface
public interface CallPacer {

  /** Never holds a call back, counts nothing and knows no limits. */
  CallPacer NONE = tokens -> Duration.ZERO;

  /**
   * Reserves a start for one call of {@code tokens} tokens: the caller starts the call after the
   * returned wait. A pacer that keeps count counts the call from then on, even if the caller is
   * cancelled while it waits (the limits err on the side of sending less).
   *
   * @param tokens the call's tokens, at least 0
   * @return the wait; zero (or negative, read as zero) when it may start now
   */
  Duration reserve(long tokens);

  /**
   * The requests per minute the service allows, as last reported or configured.
   *
   * @return the limit, 0 when unknown
   */
  default int requestsPerMinute() {
    return 0;
  }

  /**
   * The tokens per minute the service allows, as last reported or configured.
   *
   * @return the limit, 0 when unknown
   */
  default long tokensPerMinute() {
    return 0;
  }
}

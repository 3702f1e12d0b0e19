package io.batchwise.scheduler;

import java.time.Duration;

/**
 * Paces the calls of a job: before the scheduler starts a call it asks {@link #delayBefore(long)},
 * which reserves one request and the call's tokens and says how long to wait; the scheduler then
 * starts the call after that wait without asking again (a retry is a call of its own and asks too).
 *
 * <p>Two kinds exist. A pacer that keeps count — a {@code Batchwise} instance's requests- and
 * tokens-per-minute limits for its provider ({@code Batchwise.callLimits()}), shared by every job
 * that calls that provider — records the call as started at the end of the wait it returns. A pacer
 * that only reports what a remote service said — a provider reading headers such as
 * {@code x-ratelimit-remaining-requests}, through {@link io.batchwise.spi.EmbeddingProvider#pacer()}
 * — records nothing and returns the wait until the service's window resets when nothing remains.
 *
 * <p>Implementations must be thread-safe and quick: they run on the scheduler's loop.
 */
@FunctionalInterface
public interface CallPacer {

  /** Never holds a call back, counts nothing and knows no limits. */
  CallPacer NONE = tokens -> Duration.ZERO;

  /**
   * Reserves a start for one call of {@code tokens} tokens: the caller starts the call after the
   * returned wait. A pacer that keeps count counts the call from then on, even if the caller is
   * cancelled while it waits.
   *
   * @param tokens the call's tokens
   * @return the wait; zero when it may start now
   */
  Duration delayBefore(long tokens);

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

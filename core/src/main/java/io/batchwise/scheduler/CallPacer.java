package io.batchwise.scheduler;

import java.time.Duration;

/**
 * What a remote service said about its rate limits, for the scheduler to pace calls by: how long to
 * hold the next batch, and the per-minute limits it reported. A provider that reads headers such as
 * {@code x-ratelimit-remaining-requests} exposes one through
 * {@link io.batchwise.spi.EmbeddingProvider#pacer()}; the embed pipeline hands it to each job.
 *
 * <p>The scheduler asks {@link #delayBefore(long)} before it starts each batch, after its own
 * requests- and tokens-per-minute window allows it, and waits that long (re-asking afterwards).
 * Implementations must be thread-safe and quick: they run on the scheduler's loop.
 */
@FunctionalInterface
public interface CallPacer {

  /** Never holds a batch back and knows no limits. */
  CallPacer NONE = tokens -> Duration.ZERO;

  /**
   * How long to wait before starting a batch of {@code tokens} tokens.
   *
   * @param tokens the batch's tokens
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

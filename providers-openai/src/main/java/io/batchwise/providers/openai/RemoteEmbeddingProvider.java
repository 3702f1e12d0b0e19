package io.batchwise.providers.openai;

import io.batchwise.spi.EmbeddingProvider;
import java.time.Duration;

/**
 * An {@link EmbeddingProvider} that calls a remote API, with what the embed pipeline needs to run
 * it well: the rate limits it has learned, and how long one call may take.
 *
 * <p>The {@code openai} provider implements it. The pipeline should:
 *
 * <ul>
 *   <li>keep the scheduler's batch timeout above {@link #callTimeout()}, so that the provider's own
 *       timeout, which classifies the failure as retryable and cancels the HTTP call, fires first,
 *       and a large response is never cut off by the scheduler while it is still arriving within
 *       the call timeout. The {@code openai} provider derives its call timeout from the core {@code
 *       call-timeout} (the embed job's batch timeout) and refuses one that is not below it;
 *   <li>take its requests- and tokens-per-minute limits from {@link #rateLimits()}.
 * </ul>
 *
 * <pre>{@code
 * if (provider instanceof RemoteEmbeddingProvider remote) {
 *   Duration batchTimeout = remote.callTimeout().plusSeconds(5);
 *   int rpm = remote.rateLimits().effectiveRequestsPerMinute();
 * }
 * }</pre>
 */
public interface RemoteEmbeddingProvider extends EmbeddingProvider {

  /**
   * The configured and learned rate limits, updated after every response.
   *
   * @return the provider's one state object
   */
  RateLimitState rateLimits();

  /**
   * The longest one call may take, from sending the request to the last byte of the response; a
   * call that takes longer fails as retryable.
   *
   * @return the call timeout ({@code openai.call-timeout})
   */
  Duration callTimeout();
}

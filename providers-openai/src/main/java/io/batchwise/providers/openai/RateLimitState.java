package io.batchwise.providers.openai;

import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a remote provider knows about its rate limits: the limits the user configured ({@code
 * openai.requests-per-minute}, {@code openai.tokens-per-minute}) and the limits the server reported
 * in its latest {@code x-ratelimit-*} headers. The provider updates it after every response.
 *
 * <p>How the pipeline uses it: the {@code Batchwise} instance's pacer for this provider (shared by
 * every embed) reads {@link #requestsPerMinute()} and {@link #tokensPerMinute()} at each call's
 * reservation and keeps the stricter of them and the core {@code requests-per-minute} / {@code
 * tokens-per-minute} (0 means no known limit), and asks {@link #reserve(long)} first, to start the
 * call no earlier than the window resets when the server said nothing remains. This state itself
 * counts nothing. {@link #addListener} lets an application follow the reported limits.
 *
 * <p>Thread-safe; listeners run on the HTTP thread that read the response and must be quick.
 */
public interface RateLimitState extends CallPacer {

  /**
   * The requests-per-minute limit the user configured.
   *
   * @return the limit, or 0 when none was configured
   */
  int configuredRequestsPerMinute();

  /**
   * The tokens-per-minute limit the user configured.
   *
   * @return the limit, or 0 when none was configured
   */
  long configuredTokensPerMinute();

  /**
   * The limits in the latest response that carried any {@code x-ratelimit-*} header.
   *
   * @return the snapshot, or empty before the first such response
   */
  Optional<RateLimitSnapshot> latest();

  /**
   * The requests per minute to run at: the lower of the configured limit and the server's reported
   * limit, whichever are known.
   *
   * @return the limit, or 0 when neither is known
   */
  int effectiveRequestsPerMinute();

  /**
   * The tokens per minute to run at: the lower of the configured limit and the server's reported
   * limit, whichever are known.
   *
   * @return the limit, or 0 when neither is known
   */
  long effectiveTokensPerMinute();

  /**
   * How long to wait before starting a call of {@code tokens} tokens, per the latest headers (see
   * {@link RateLimitSnapshot#delayBefore(long, long)}). This state only reports: it reserves and
   * counts nothing, so asking twice gives the same wait.
   *
   * @param tokens the tokens the call carries
   * @return the wait, zero when nothing is known or enough remains
   */
  @Override
  Duration reserve(long tokens);

  /** The scheduler's view: {@link #effectiveRequestsPerMinute()}. */
  @Override
  default int requestsPerMinute() {
    return effectiveRequestsPerMinute();
  }

  /** The scheduler's view: {@link #effectiveTokensPerMinute()}. */
  @Override
  default long tokensPerMinute() {
    return effectiveTokensPerMinute();
  }

  /**
   * Calls {@code listener} with every new snapshot. A listener that throws is logged and kept.
   *
   * @param listener the listener
   * @return a handle whose {@code close()} removes the listener
   */
  AutoCloseable addListener(Consumer<RateLimitSnapshot> listener);
}

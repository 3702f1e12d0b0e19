package io.batchwise.providers.openai;

import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.Objects;

/**
 * The rate limits a server reported in one response's {@code x-ratelimit-*} headers. Immutable.
 *
 * <p>Each count is {@code -1} when the server did not send it (local servers such as Ollama or vLLM
 * send none); each reset is {@code null} then. OpenAI's limits are per minute for requests and
 * tokens on the usual tiers, so {@link #requestLimit()} and {@link #tokenLimit()} are read as
 * requests and tokens per minute.
 *
 * @param requestLimit {@code x-ratelimit-limit-requests}: requests allowed in the window, or -1
 * @param requestsRemaining {@code x-ratelimit-remaining-requests}, or -1
 * @param requestsReset {@code x-ratelimit-reset-requests}: time until the request window is full
 *     again, or null
 * @param tokenLimit {@code x-ratelimit-limit-tokens}: tokens allowed in the window, or -1
 * @param tokensRemaining {@code x-ratelimit-remaining-tokens}, or -1
 * @param tokensReset {@code x-ratelimit-reset-tokens}, or null
 * @param observedAtNanos {@link System#nanoTime()} when the response arrived
 */
public record RateLimitSnapshot(
    long requestLimit,
    long requestsRemaining,
    Duration requestsReset,
    long tokenLimit,
    long tokensRemaining,
    Duration tokensReset,
    long observedAtNanos) {

  /**
   * Whether the response carried no rate-limit header at all.
   *
   * @return true when no value is known
   */
  public boolean isEmpty() {
    return requestLimit < 0
        && requestsRemaining < 0
        && tokenLimit < 0
        && tokensRemaining < 0
        && requestsReset == null
        && tokensReset == null;
  }

  /**
   * How long to wait, from {@code nowNanos}, before a call of {@code tokens} tokens fits in what
   * the server said remained: the request window's reset when no request remained, the token
   * window's reset when fewer than {@code tokens} tokens remained, else zero. Calls sent since the
   * snapshot are not accounted for; the scheduler's own rate limiter covers those.
   *
   * <p>A reset is a server's hint like {@code Retry-After} and is clamped the same way: one longer
   * than {@link CallFailedException#MAX_RETRY_AFTER} (a daily window, or nonsense such as {@code
   * 99999h}) holds nothing, so no header can stall every later call; the call goes out, and should
   * the server refuse it, its retry waits the scheduler's backoff or an honoured hint.
   *
   * @param tokens the tokens the next call carries
   * @param nowNanos the current {@link System#nanoTime()}
   * @return the wait, never negative and never longer than {@link
   *     CallFailedException#MAX_RETRY_AFTER}
   */
  public Duration delayBefore(long tokens, long nowNanos) {
    Duration elapsed = Duration.ofNanos(Math.max(0, nowNanos - observedAtNanos));
    Duration wait = Duration.ZERO;
    if (requestsRemaining == 0 && CallFailedException.honoured(requestsReset)) {
      wait = max(wait, requestsReset.minus(elapsed));
    }
    if (tokensRemaining >= 0
        && tokensRemaining < tokens
        && CallFailedException.honoured(tokensReset)) {
      wait = max(wait, tokensReset.minus(elapsed));
    }
    return wait;
  }

  private static Duration max(Duration a, Duration b) {
    Objects.requireNonNull(b);
    return a.compareTo(b) >= 0 ? a : b;
  }
}

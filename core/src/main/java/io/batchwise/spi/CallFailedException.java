package io.batchwise.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider call or agent batch failed, classified for the scheduler: retryable or not, with the
 * server's retry hint when it gave one.
 *
 * <p>Providers and agents only classify; the scheduler alone decides whether and when to retry. The
 * message must never contain a secret.
 *
 * <p>A retry hint is kept only when it is longer than zero and at most {@link #MAX_RETRY_AFTER}, as
 * the OpenAI SDKs honour {@code Retry-After}: the scheduler then waits at least that long before
 * the retry. Any other hint (zero, negative, longer, or absurd such as a date centuries away) is
 * dropped and the scheduler waits its own computed backoff, so no value a server sends can hold a
 * call for longer than the clamp.
 */
public class CallFailedException extends RuntimeException {
  /**
   * The longest server retry hint that is honoured. A server that asks for more is treated as if it
   * had not asked: waiting an hour on one header would stall a whole job, and the OpenAI SDKs draw
   * the line at one minute too.
   */
  public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final Duration retryAfter;
  private final boolean rateLimited;

  /**
   * Creates a classified failure.
   *
   * @param message what failed, with any status, error code and request id; never a secret
   * @param cause the underlying failure, or null
   * @param retryable whether trying the same call again may succeed
   * @param retryAfter how long the server asked to wait before retrying, or null; kept only when
   *     longer than zero and at most {@link #MAX_RETRY_AFTER}
   * @param rateLimited whether the server said the caller is over a rate limit (lets adaptive
   *     concurrency back off)
   */
  public CallFailedException(
      String message,
      Throwable cause,
      boolean retryable,
      Duration retryAfter,
      boolean rateLimited) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.retryable = retryable;
    this.retryAfter = honoured(retryAfter) ? retryAfter : null;
    this.rateLimited = rateLimited;
  }

  /**
   * A failure that retrying cannot fix (bad request, authentication, quota exhausted).
   *
   * @param message what failed
   * @param cause the cause, or null
   * @return the exception
   */
  public static CallFailedException permanent(String message, Throwable cause) {
    return new CallFailedException(message, cause, false, null, false);
  }

  /**
   * A transient failure (connection reset, 5xx, timeout) that may succeed when retried.
   *
   * @param message what failed
   * @param cause the cause, or null
   * @param retryAfter the server's hint, or null; kept only when longer than zero and at most
   *     {@link #MAX_RETRY_AFTER}
   * @return the exception
   */
  public static CallFailedException retryable(
      String message, Throwable cause, Duration retryAfter) {
    return new CallFailedException(message, cause, true, retryAfter, false);
  }

  /**
   * Whether the scheduler may retry the call.
   *
   * @return true when retryable
   */
  public boolean isRetryable() {
    return retryable;
  }

  /**
   * The server's retry hint ({@code Retry-After}, {@code retry-after-ms}) when it is one the
   * scheduler honours: longer than zero and at most {@link #MAX_RETRY_AFTER}.
   *
   * @return the hint, or empty when none was given or it was out of range
   */
  public final Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Whether a server's hint is one to wait for: longer than zero and at most {@link
   * #MAX_RETRY_AFTER}.
   *
   * @param hint the hint, or null
   * @return true when it is honoured
   */
  public static boolean honoured(Duration hint) {
    return hint != null
        && !hint.isNegative()
        && !hint.isZero()
        && hint.compareTo(MAX_RETRY_AFTER) <= 0;
  }

  /**
   * Whether the failure says the caller exceeded a rate limit (HTTP 429 and the like).
   *
   * @return true when rate limited
   */
  public boolean isRateLimited() {
    return rateLimited;
  }
}

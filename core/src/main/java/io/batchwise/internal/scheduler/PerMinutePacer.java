package io.batchwise.internal.scheduler;

import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The requests- and tokens-per-minute limits of one provider on one {@code Batchwise} instance, as
 * one {@link CallPacer} that every job calling that provider shares (each {@code embedAll}, each
 * {@code embedStream} window, each chunk of the command line, and any job that opts in): each call
 * reserves one request and its tokens in a sliding minute and learns how long to wait before it
 * starts.
 *
 * <p>The limits in force are the stricter of the configured ones and those the service reports
 * through the provider's own pacer ({@code x-ratelimit-limit-*}), read at each reservation. When
 * the service said nothing remains until its window resets, the call starts no earlier than that.
 * Reservations are granted in the order they are asked for, never before one granted earlier, so a
 * large call is not overtaken forever by small ones. A reservation whose call is then cancelled is
 * not given back: the limit errs on the side of sending less. Thread-safe.
 */
public final class PerMinutePacer implements CallPacer {
  private final int requestsPerMinute;
  private final long tokensPerMinute;
  private final CallPacer reported;
  private final LongSupplier nanoTime;
  private final RateWindow window = new RateWindow();

  /**
   * Creates the pacer.
   *
   * @param requestsPerMinute the configured calls started per minute, 0 for no limit of its own
   * @param tokensPerMinute the configured tokens started per minute, 0 for no limit of its own
   * @param reported what the service reports (the provider's {@code pacer()}), or {@link
   *     CallPacer#NONE}
   * @param nanoTime the clock, as {@link System#nanoTime()}; the scheduler's own in tests
   */
  public PerMinutePacer(
      int requestsPerMinute, long tokensPerMinute, CallPacer reported, LongSupplier nanoTime) {
    if (requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException(
          "requestsPerMinute ("
              + requestsPerMinute
              + ") and tokensPerMinute ("
              + tokensPerMinute
              + ") must be 0 (no limit) or more");
    }
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerMinute = tokensPerMinute;
    this.reported = Objects.requireNonNull(reported, "reported");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public Duration reserve(long tokens) {
    long serviceWait = Math.max(0, reported.reserve(tokens).toNanos());
    int rpm = requestsPerMinute();
    long tpm = tokensPerMinute();
    synchronized (window) {
      long now = nanoTime.getAsLong();
      return Duration.ofNanos(window.reserve(now, now + serviceWait, tokens, rpm, tpm) - now);
    }
  }

  /**
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  @Override
  public int requestsPerMinute() {
    return (int) CallBudget.stricter(requestsPerMinute, reported.requestsPerMinute());
  }

  /**
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  @Override
  public long tokensPerMinute() {
    return CallBudget.stricter(tokensPerMinute, reported.tokensPerMinute());
  }

  @Override
  public String toString() {
    return "PerMinutePacer{rpm=" + requestsPerMinute() + ", tpm=" + tokensPerMinute() + "}";
  }
}

package io.batchwise.cache.spi;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.CacheOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Stops calling a failing backend for a while.
 *
 * <pre>
 *   CLOSED --(threshold consecutive failures)--> OPEN --(cool-down elapsed, next call)--> HALF_OPEN
 *   HALF_OPEN --(the one probe call succeeds)--> CLOSED
 *   HALF_OPEN --(the probe fails)--> OPEN (a new cool-down)
 * </pre>
 *
 * <p>While open every call is refused at once instead of paying the backend's timeout; in half-open
 * exactly one caller is let through as a probe and the others are refused until it reports. Time
 * comes from a {@link Ticker}, so tests can move it. Thread-safe; the listener is called under the
 * breaker's lock, so it sees transitions in order.
 *
 * <p>Every {@link GuardedByteStore} has one; its state is visible through {@link
 * GuardedByteStore#breakerState()}.
 */
public final class CircuitBreaker {

  /** The breaker's states. */
  public enum State {
    /** Calls go through; failures are counted. */
    CLOSED,
    /** Calls are refused until the cool-down has elapsed. */
    OPEN,
    /** One probe call goes through; its outcome closes or reopens the breaker. */
    HALF_OPEN
  }

  /** Told about every state change, while the breaker's lock is held (keep it short). */
  @FunctionalInterface
  interface Listener {
    void onTransition(State from, State to, Throwable cause);
  }

  private final int failureThreshold;
  private final long coolDownNanos;
  private final Ticker ticker;
  private final Listener listener;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeInFlight;

  CircuitBreaker(int failureThreshold, Duration coolDown, Ticker ticker, Listener listener) {
    CacheOptions.BREAKER_FAILURE_THRESHOLD.check(failureThreshold);
    CacheOptions.BREAKER_COOL_DOWN.check(coolDown);
    this.failureThreshold = failureThreshold;
    this.coolDownNanos = coolDown.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Asks to make a call.
   *
   * @return true when the call may go ahead (the caller must then report its outcome), false when
   *     it must be skipped
   */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (ticker.read() - openedAt < coolDownNanos) {
          return false;
        }
        transition(State.HALF_OPEN, null);
        probeInFlight = true;
        return true;
      case HALF_OPEN:
      default:
        if (probeInFlight) {
          return false;
        }
        probeInFlight = true;
        return true;
    }
  }

  /** Reports that an acquired call succeeded. */
  synchronized void onSuccess() {
    consecutiveFailures = 0;
    if (state == State.HALF_OPEN) {
      probeInFlight = false;
      transition(State.CLOSED, null);
    }
  }

  /**
   * Reports that an acquired call failed.
   *
   * @param cause the failure
   */
  synchronized void onFailure(Throwable cause) {
    if (state == State.HALF_OPEN) {
      probeInFlight = false;
      open(cause);
    } else if (state == State.CLOSED && ++consecutiveFailures >= failureThreshold) {
      open(cause);
    }
  }

  private void open(Throwable cause) {
    openedAt = ticker.read();
    consecutiveFailures = 0;
    transition(State.OPEN, cause);
  }

  private void transition(State to, Throwable cause) {
    State from = state;
    state = to;
    listener.onTransition(from, to, cause);
  }

  /**
   * The current state (OPEN stays OPEN until a call after the cool-down moves it to HALF_OPEN).
   *
   * @return the state
   */
  public synchronized State state() {
    return state;
  }

  @Override
  public synchronized String toString() {
    return "CircuitBreaker{"
        + state
        + ", failures="
        + consecutiveFailures
        + "/"
        + failureThreshold
        + "}";
  }
}

package io.batchwise.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests for something another thread or process does, by checking a condition rather than
 * sleeping a guessed time: returns as soon as the condition holds, fails naming what never
 * happened.
 */
public final class Await {
  /** How often the condition is checked. */
  private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();

  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @param what what is awaited, for the failure message ("the temporary file appears")
   * @param timeout how long to wait at most
   * @param condition the condition, checked about every millisecond
   * @throws AssertionError when the timeout passes first, or the waiting thread is interrupted
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + ": not reached within " + timeout.toMillis() + " ms");
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError(what + ": interrupted while waiting");
      }
    }
  }
}

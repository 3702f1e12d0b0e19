package io.batchwise.internal.scheduler;

import java.time.Duration;
import java.util.Locale;

/**
 * The words of a passed job timeout, one text for the scheduler's jobs and the embed that waits on
 * them, so that an input failing by either says the same thing.
 */
public final class JobTimeout {
  private JobTimeout() {}

  /**
   * Why the work left at a job timeout fails.
   *
   * @param timeout the timeout that passed
   * @return e.g. {@code job timeout of 2m passed}
   */
  public static String reason(Duration timeout) {
    return "job timeout of " + text(timeout) + " passed";
  }

  /**
   * A duration as a person writes it.
   *
   * @param d the duration
   * @return e.g. {@code 2s}, {@code 1.5s}, {@code 2m}, {@code 1h30m}
   */
  static String text(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}

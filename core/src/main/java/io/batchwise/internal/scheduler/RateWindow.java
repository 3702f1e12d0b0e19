package io.batchwise.internal.scheduler;

import java.util.ArrayDeque;

/**
 * Limits batches and tokens started per sliding minute. A batch larger than the whole token limit
 * may start only when the window is empty, so it is delayed but never stuck. Not thread-safe: used
 * from a job's drain loop only.
 */
final class RateWindow {
  /** The window of "per minute" limits. */
  static final long WINDOW_NANOS = 60_000_000_000L;

  private final int requestsPerMinute;
  private final long tokensPerMinute;
  private final ArrayDeque<long[]> starts = new ArrayDeque<>(); // {nanoTime, tokens}
  private long tokensInWindow;

  RateWindow(int requestsPerMinute, long tokensPerMinute) {
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerMinute = tokensPerMinute;
  }

  /** @return true when neither limit is set */
  boolean unlimited() {
    return requestsPerMinute <= 0 && tokensPerMinute <= 0;
  }

  /**
   * How long a batch of {@code tokens} must wait before it may start.
   *
   * @param now the current time
   * @param tokens the batch's tokens
   * @return 0 when it may start now, else the nanoseconds until it may
   */
  long waitNanos(long now, long tokens) {
    if (unlimited()) {
      return 0;
    }
    expire(now);
    long wait = 0;
    if (requestsPerMinute > 0 && starts.size() >= requestsPerMinute) {
      long[] oldestThatMustLeave = nth(starts.size() - requestsPerMinute);
      wait = Math.max(wait, oldestThatMustLeave[0] + WINDOW_NANOS - now);
    }
    if (tokensPerMinute > 0 && !starts.isEmpty() && tokensInWindow + tokens > tokensPerMinute) {
      long freed = 0;
      long needed = tokensInWindow + tokens - tokensPerMinute;
      long until = 0;
      for (long[] s : starts) {
        freed += s[1];
        until = s[0] + WINDOW_NANOS - now;
        if (freed >= needed) {
          break;
        }
      }
      // when even an empty window would not hold it, wait for the window to empty
      wait = Math.max(wait, until);
    }
    return Math.max(0, wait);
  }

  /**
   * Records a batch start.
   *
   * @param now the current time
   * @param tokens the batch's tokens
   */
  void record(long now, long tokens) {
    if (unlimited()) {
      return;
    }
    expire(now);
    starts.addLast(new long[] {now, tokens});
    tokensInWindow += tokens;
  }

  private long[] nth(int n) {
    int i = 0;
    for (long[] s : starts) {
      if (i++ == n) {
        return s;
      }
    }
    throw new IllegalStateException("window has " + starts.size() + " entries, asked for " + n);
  }

  private void expire(long now) {
    while (!starts.isEmpty() && starts.peekFirst()[0] + WINDOW_NANOS <= now) {
      tokensInWindow -= starts.pollFirst()[1];
    }
  }
}

package io.batchwise.internal.scheduler;

import java.util.ArrayDeque;

/**
 * Limits calls and tokens started per sliding minute: in any minute at most {@code
 * requestsPerMinute} starts and {@code tokensPerMinute} tokens. Starts are recorded in order of
 * their time, which may lie ahead of the clock when a call reserved a later start ({@link
 * #reserve}). A call larger than the whole token limit may start only when the window is empty, so
 * it is delayed but never stuck. The limits are passed with each question, so a caller whose limits
 * change (a service that reports other limits) keeps one window. Not thread-safe: a job's drain
 * loop owns one, and the shared {@link PerMinutePacer} guards its own.
 */
final class RateWindow {
  /** The window of "per minute" limits. */
  static final long WINDOW_NANOS = 60_000_000_000L;

  private final ArrayDeque<long[]> starts = new ArrayDeque<>(); // {nanoTime, tokens}, by time
  private long tokensInWindow;

  /**
   * How long a call of {@code tokens} must wait before it may start.
   *
   * @param now the current time
   * @param tokens the call's tokens
   * @param requestsPerMinute the most starts per minute, 0 for no limit
   * @param tokensPerMinute the most tokens per minute, 0 for no limit
   * @return 0 when it may start now, else the nanoseconds until it may
   */
  long waitNanos(long now, long tokens, int requestsPerMinute, long tokensPerMinute) {
    expire(now);
    return Math.max(0, earliestStart(now, tokens, requestsPerMinute, tokensPerMinute) - now);
  }

  /**
   * Records a start.
   *
   * @param at when the call starts, no earlier than the last start recorded
   * @param tokens the call's tokens
   * @param requestsPerMinute the most starts per minute, 0 for no limit
   * @param tokensPerMinute the most tokens per minute, 0 for no limit
   */
  void record(long at, long tokens, int requestsPerMinute, long tokensPerMinute) {
    if (requestsPerMinute <= 0 && tokensPerMinute <= 0) {
      return; // nothing to count against: keep no history
    }
    starts.addLast(new long[] {at, tokens});
    tokensInWindow += tokens;
  }

  /**
   * Reserves the earliest start at or after {@code earliest} (and after every start already
   * reserved, so calls start in the order they asked) that keeps both limits, and records it.
   *
   * @param now the current time; starts a minute before it are forgotten
   * @param earliest the earliest the call may start, at least {@code now}
   * @param tokens the call's tokens
   * @param requestsPerMinute the most starts per minute, 0 for no limit
   * @param tokensPerMinute the most tokens per minute, 0 for no limit
   * @return the reserved start time
   */
  long reserve(long now, long earliest, long tokens, int requestsPerMinute, long tokensPerMinute) {
    expire(now);
    long start = earliestStart(earliest, tokens, requestsPerMinute, tokensPerMinute);
    record(start, tokens, requestsPerMinute, tokensPerMinute);
    return start;
  }

  private long earliestStart(
      long earliest, long tokens, int requestsPerMinute, long tokensPerMinute) {
    if (starts.isEmpty()) {
      return earliest;
    }
    long start = Math.max(earliest, starts.peekLast()[0]);
    if (requestsPerMinute > 0 && starts.size() >= requestsPerMinute) {
      // the rpm-th newest start must have left the window
      start = Math.max(start, nth(starts.size() - requestsPerMinute)[0] + WINDOW_NANOS);
    }
    if (tokensPerMinute > 0 && tokensInWindow + tokens > tokensPerMinute) {
      long needed = tokensInWindow + tokens - tokensPerMinute;
      long freed = 0;
      long until = start;
      for (long[] s : starts) {
        freed += s[1];
        until = s[0] + WINDOW_NANOS;
        if (freed >= needed) {
          break;
        }
      }
      // when even an empty window would not hold it, it waits for the window to empty
      start = Math.max(start, until);
    }
    return start;
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

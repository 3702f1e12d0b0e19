package io.batchwise.internal.scheduler;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test says so. Tasks due by then run on the test's thread, in order of
 * their due time (then of scheduling), and the clock reads each task's due time while it runs.
 */
final class ManualTimeSource implements TimeSource {
  private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long now = 1_000_000_000L;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    boolean[] cancelled = new boolean[1];
    tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> {
      synchronized (ManualTimeSource.this) {
        cancelled[0] = true;
      }
    };
  }

  /**
   * Moves time forward, running every task that falls due.
   *
   * @param d how far
   */
  void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.due);
        if (next.cancelled[0]) {
          continue;
        }
      }
      next.run.run();
    }
  }

  /**
   * @return scheduled tasks not cancelled and not yet run
   */
  synchronized long pending() {
    return tasks.stream().filter(t -> !t.cancelled[0]).count();
  }
}

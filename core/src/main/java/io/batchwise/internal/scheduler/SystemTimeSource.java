package io.batchwise.internal.scheduler;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real time: {@link System#nanoTime()} and one timer thread the scheduler owns. */
final class SystemTimeSource implements TimeSource {
  private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

  private final ScheduledThreadPoolExecutor timer;

  SystemTimeSource(ScheduledThreadPoolExecutor timer) {
    this.timer = timer;
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    ScheduledFuture<?> f;
    try {
      f = timer.schedule(() -> runGuarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the scheduler is closing: run at once rather than never (timeouts and retries must settle)
      runGuarded(task);
      return Cancellable.NONE;
    }
    return () -> f.cancel(false);
  }

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      LOG.error("a scheduler timer task failed", t);
    }
  }
}

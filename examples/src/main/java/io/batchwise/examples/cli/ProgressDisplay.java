package io.batchwise.examples.cli;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (done/total, rate, ETA), or nothing under {@code --quiet}. It follows a
 * count that other threads advance (provider calls answered while the command waits for the first
 * results), reading it at every redraw.
 */
final class ProgressDisplay implements AutoCloseable {
  private static final ProgressDisplay QUIET = new ProgressDisplay(null, null, null);

  private final ProgressBar bar;
  private final LongSupplier done;
  private final ScheduledExecutorService follower;
  private boolean closed;

  private ProgressDisplay(ProgressBar bar, LongSupplier done, ScheduledExecutorService follower) {
    this.bar = bar;
    this.done = done;
    this.follower = follower;
  }

  /**
   * A display that follows {@code done} until closed.
   *
   * @param quiet whether to show nothing
   * @param err where the bar is drawn
   * @param task its label
   * @param total units in all, or -1 when unknown (the bar then shows the count and the rate)
   * @param unit what a unit is, e.g. {@code inputs}
   * @param done the units done so far; read from another thread, so it must be thread-safe
   * @return the display
   */
  static ProgressDisplay follow(
      boolean quiet, PrintStream err, String task, long total, String unit, LongSupplier done) {
    if (quiet) {
      return QUIET;
    }
    boolean terminal = System.console() != null;
    int interval = terminal ? 200 : 1000;
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(" " + unit, 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setUpdateIntervalMillis(interval)
            .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BAR : ProgressBarStyle.ASCII)
            // an explicit width keeps the library from probing a terminal that is not there
            .setConsumer(
                terminal
                    ? new ConsoleProgressBarConsumer(err)
                    : new ConsoleProgressBarConsumer(err, 100))
            .build();
    ScheduledExecutorService follower =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "batchwise-progress");
              t.setDaemon(true); // never keeps the command alive
              return t;
            });
    follower.scheduleAtFixedRate(
        () -> bar.stepTo(done.getAsLong()), 0, interval, TimeUnit.MILLISECONDS);
    return new ProgressDisplay(bar, done, follower);
  }

  /**
   * Draws the final count and finishes the bar's line.
   *
   * @param total the units there turned out to be
   */
  void finish(long total) {
    if (bar == null || closed) {
      return;
    }
    follower.shutdownNow();
    bar.maxHint(total);
    bar.stepTo(done.getAsLong());
    close();
  }

  /** Stops following and finishes the bar's line where it is. Idempotent. */
  @Override
  public void close() {
    if (bar != null && !closed) {
      closed = true;
      follower.shutdownNow();
      bar.close();
    }
  }
}

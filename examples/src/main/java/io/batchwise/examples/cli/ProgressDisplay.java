package io.batchwise.examples.cli;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr (done/total, rate, ETA), or nothing under {@code --quiet}. */
interface ProgressDisplay extends AutoCloseable {

  /**
   * Advances the bar.
   *
   * @param n units done since the last call
   */
  void step(long n);

  /** Finishes the bar's line. */
  @Override
  void close();

  /**
   * A display.
   *
   * @param quiet whether to show nothing
   * @param err where the bar is drawn
   * @param task its label
   * @param total units in all
   * @param unit what a unit is, e.g. {@code inputs}
   * @return the display
   */
  static ProgressDisplay of(boolean quiet, PrintStream err, String task, long total, String unit) {
    if (quiet) {
      return new ProgressDisplay() {
        @Override
        public void step(long n) {}

        @Override
        public void close() {}
      };
    }
    boolean terminal = System.console() != null;
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(terminal ? 200 : 1000)
        .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BAR : ProgressBarStyle.ASCII)
        // an explicit width keeps the library from probing a terminal that is not there
        .setConsumer(terminal ? new ConsoleProgressBarConsumer(err) : new ConsoleProgressBarConsumer(err, 100))
        .build();
    return new ProgressDisplay() {
      @Override
      public void step(long n) {
        bar.stepBy(n);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}

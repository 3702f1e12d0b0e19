package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do to a command run as a process: the JVM begins to exit (with
 * code 130 after SIGINT, 143 after SIGTERM) and runs this class's shutdown hook, which closes every
 * Batchwise instance the command opened. Closing is the library's own: in {@code
 * scheduler.close-mode} {@code finish} (the default) the provider calls in flight finish and their
 * vectors are stored in the cache, for at most {@code scheduler.close-timeout}; in {@code cancel}
 * they stop at once. An output file is never moved into place (its temporary file is deleted), and
 * the command's own thread, once it sees the stop, prints nothing more and waits for the exit: the
 * one line on stderr is the hook's.
 *
 * <p>Only {@link BatchwiseCli#main} installs the hook; a command run in-process ({@code execute})
 * leaves interrupts to its host. Thread-safe.
 */
final class Interrupts {
  private static final Set<Batchwise> OPEN = ConcurrentHashMap.newKeySet();
  private static volatile boolean installed;
  private static volatile boolean finished;
  private static volatile boolean stopping;

  private Interrupts() {}

  /**
   * Installs the shutdown hook, once per process. When a signal came first (Ctrl-C as the JVM
   * starts), the JVM is exiting already with the signal's code and has nothing of the command's to
   * close: this then waits for that exit, and the command never starts.
   *
   * @param err where the hook says what it does
   */
  static void install(PrintStream err) {
    synchronized (Interrupts.class) {
      if (!installed) {
        installed = true;
        try {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(err), "batchwise-interrupt"));
        } catch (IllegalStateException shutdownInProgress) {
          stopping = true;
        }
      }
    }
    awaitExitIfStopping();
  }

  /**
   * Has the hook close an instance if the process is stopped while the command runs.
   *
   * @param bw the instance the command opened
   * @return {@code bw}
   */
  static Batchwise closeOnStop(Batchwise bw) {
    if (installed) {
      OPEN.add(bw);
    }
    return bw;
  }

  /** The command has ended by itself: the exit that follows is its own, not an interrupt. */
  static void finished() {
    finished = true;
  }

  /**
   * Whether the process is being stopped by a signal.
   *
   * @return true once the hook has begun
   */
  static boolean stopping() {
    return stopping;
  }

  /**
   * Waits for the exit when the process is being stopped, so that the command's thread neither
   * reports what the stop did to it nor takes the stop back (an output committed, a stream's last
   * window cancelled); returns at once otherwise.
   */
  static void awaitExitIfStopping() {
    while (stopping) {
      LockSupport.park(Interrupts.class); // the exit ends the process; the hook never unparks
    }
  }

  private static void stop(PrintStream err) {
    if (finished) {
      return;
    }
    stopping = true;
    if (OPEN.isEmpty()) {
      return;
    }
    err.println(); // ends the progress bar's line
    err.println(
        "batchwise: stopping: the provider calls in flight finish first, so that a cache keeps their"
            + " vectors (at most scheduler.close-timeout; -o scheduler.close-mode=cancel stops them at once)");
    err.flush();
    for (Batchwise bw : OPEN) {
      bw.close();
    }
  }
}

package io.batchwise.providers.openai;

import io.batchwise.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A forked JVM of a resumability test, awaited until it reaches a state the test then kills it in.
 */
final class ChildProcess {
  private ChildProcess() {}

  /**
   * Returns once {@code reached} holds; fails at once, with the child's log, when the child exits
   * first.
   *
   * @param child the forked JVM
   * @param log where its output goes
   * @param what the awaited state, for the failure message
   * @param timeout bounds a broken run, not a slow one
   * @param reached the state
   */
  static void awaitWhileAlive(
      Process child, Path log, String what, Duration timeout, BooleanSupplier reached) {
    Await.until(
        what,
        timeout,
        () -> {
          if (reached.getAsBoolean()) {
            return true;
          }
          if (!child.isAlive()) {
            throw new AssertionError("the child exited before " + what + "; its log: " + read(log));
          }
          return false;
        });
  }

  /**
   * The child's output so far.
   *
   * @param log where its output goes
   * @return the text, or {@code (none)} before the file exists
   */
  static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(none)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

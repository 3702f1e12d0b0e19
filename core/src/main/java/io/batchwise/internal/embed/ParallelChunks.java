package io.batchwise.internal.embed;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a loop over {@code [0, n)} in chunks on the CPU pool and on the calling thread, and returns
 * when every chunk is done. The caller runs every chunk the pool has not started yet before it
 * waits for any (waiting in order would leave it idle behind the pool), so waiting can never
 * deadlock, even when the caller is itself a pool thread and every other pool thread waits too.
 */
final class ParallelChunks {
  /** The body of the loop for one chunk. */
  @FunctionalInterface
  interface Range {
    /**
     * Handles positions {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first position
     * @param to one past the last
     */
    void run(int from, int to);
  }

  private ParallelChunks() {}

  /**
   * Runs {@code body} over {@code [0, n)}.
   *
   * @param n how many positions
   * @param chunk positions per task
   * @param cpu the pool
   * @param body the loop body
   */
  static void run(int n, int chunk, Executor cpu, Range body) {
    int chunks = (n + chunk - 1) / chunk;
    if (chunks <= 1) {
      body.run(0, n);
      return;
    }
    FutureTask<?>[] tasks = new FutureTask<?>[chunks];
    for (int c = 0; c < chunks; c++) {
      int from = c * chunk;
      int to = Math.min(n, from + chunk);
      tasks[c] = new FutureTask<>(() -> body.run(from, to), null);
    }
    for (int c = 1; c < chunks; c++) {
      try {
        cpu.execute(tasks[c]);
      } catch (RejectedExecutionException e) {
        break; // the pool is shutting down: this thread runs the rest below
      }
    }
    for (FutureTask<?> task : tasks) {
      task.run(); // claims every chunk no pool thread has started; does nothing for the others
    }
    for (FutureTask<?> task : tasks) {
      await(task);
    }
  }

  /**
   * Waits for a task, rethrowing its failure as itself.
   *
   * @param task a task that runs or will run
   */
  static void await(FutureTask<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a parallel chunk", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}

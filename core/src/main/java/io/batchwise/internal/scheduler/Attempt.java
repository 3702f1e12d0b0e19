package io.batchwise.internal.scheduler;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One try of a batch. The agent's answer, the timeout and a cancellation race to settle it; the
 * first wins and the others are ignored.
 *
 * @param <I> the item type
 */
final class Attempt<I> {
  final BatchRun<I> run;
  final int number;
  final AtomicBoolean settled = new AtomicBoolean();

  /** The agent called {@link io.batchwise.scheduler.Batch#releaseSlot()} for this attempt. */
  final AtomicBoolean releaseRequested = new AtomicBoolean();

  volatile long startNanos;
  volatile TimeSource.Cancellable timeout = TimeSource.Cancellable.NONE;
  volatile CompletionStage<?> stage;
  private Thread runner;
  private boolean interrupted;

  Attempt(BatchRun<I> run, int number) {
    this.run = run;
    this.number = number;
  }

  /** Marks the calling thread as the one running the agent's {@code process} call. */
  synchronized void enter() {
    runner = Thread.currentThread();
  }

  /** The {@code process} call returned; clears an interrupt this attempt caused. */
  synchronized void exit() {
    runner = null;
    if (interrupted) {
      Thread.interrupted();
      interrupted = false;
    }
  }

  /**
   * Tells the agent to stop: interrupts its thread while {@code process} still runs, and cancels
   * the stage it returned.
   */
  void abort() {
    synchronized (this) {
      if (runner != null && runner != Thread.currentThread()) {
        interrupted = true;
        runner.interrupt();
      }
    }
    CompletionStage<?> s = stage;
    if (s != null) {
      try {
        s.toCompletableFuture().cancel(true);
      } catch (UnsupportedOperationException ignored) {
        // a stage that cannot be cancelled: its answer will be ignored
      }
    }
  }
}

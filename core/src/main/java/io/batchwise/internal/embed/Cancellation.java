package io.batchwise.internal.embed;

import io.batchwise.scheduler.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Carries a cancellation down to where the work is: the scheduler jobs of one embed (cancelling the
 * embed's future cancels them, and a job started afterwards is cancelled at once), and from a future
 * derived from a provider call to that call's own future, so a timeout or a stop reaches the provider
 * (which stops its HTTP request, or skips micro-batches not yet run). Thread-safe.
 */
final class Cancellation {
  private final List<Job<?, ?>> jobs = new ArrayList<>();
  private boolean cancelled;

  /**
   * Makes {@code upstream} cancelled when {@code derived} ends without a value (it was cancelled, timed
   * out or failed): once nobody waits for the answer, the work that would produce it stops. When
   * {@code derived} failed because {@code upstream} did, the cancel does nothing.
   *
   * @param derived the future handed on
   * @param upstream the future it was derived from
   * @param <T> the value type
   * @return {@code derived}
   */
  static <T> CompletableFuture<T> propagate(CompletableFuture<T> derived, Future<?> upstream) {
    derived.whenComplete((value, failure) -> {
      if (failure != null) {
        upstream.cancel(true);
      }
    });
    return derived;
  }

  /** @return true once the embed was cancelled */
  synchronized boolean cancelled() {
    return cancelled;
  }

  /**
   * Adds a job of this embed; cancels it at once when the embed is already cancelled.
   *
   * @param job the job
   */
  void add(Job<?, ?> job) {
    synchronized (this) {
      if (!cancelled) {
        jobs.add(job);
        return;
      }
    }
    job.cancel();
  }

  /** Cancels the embed: every job added, and any added later. */
  void cancel() {
    List<Job<?, ?>> toCancel;
    synchronized (this) {
      cancelled = true;
      toCancel = new ArrayList<>(jobs);
      jobs.clear();
    }
    toCancel.forEach(Job::cancel);
  }
}

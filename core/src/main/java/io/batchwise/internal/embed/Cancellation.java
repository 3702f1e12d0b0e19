package io.batchwise.internal.embed;

import io.batchwise.scheduler.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Carries a cancellation down to where the work is: the scheduler jobs of one embed (cancelling the
 * embed's future, or closing the instance before the embed ends, cancels them, and a job started
 * afterwards is cancelled at once), and from a future derived from a provider call to that call's
 * own future, so a timeout or a stop reaches the provider (which stops its HTTP request, or skips
 * micro-batches not yet run). The inputs of a cancelled job fail with a {@link
 * CancellationException} that says why. Thread-safe.
 */
final class Cancellation {
  private final List<Job<?, ?>> jobs = new ArrayList<>(2);
  private String reason;

  /**
   * Whether the embed is cancelled, for a provider call to check before it starts its work.
   *
   * @return true once {@link #cancel} ran
   */
  synchronized boolean isCancelled() {
    return reason != null;
  }

  /**
   * Fails before a job is started when the embed is cancelled.
   *
   * @throws CancellationException saying why
   */
  synchronized void throwIfCancelled() {
    if (reason != null) {
      throw new CancellationException(reason);
    }
  }

  /**
   * Adds a job of this embed; cancels it at once when the embed is already cancelled.
   *
   * @param job the job
   */
  void add(Job<?, ?> job) {
    synchronized (this) {
      if (reason == null) {
        jobs.add(job);
        return;
      }
    }
    job.cancel();
  }

  /**
   * Cancels the embed: every job added, and any added later. Idempotent: the first reason stays.
   *
   * @param why what the failure of each input left unfinished says
   */
  void cancel(String why) {
    List<Job<?, ?>> toCancel;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      toCancel = List.copyOf(jobs);
      jobs.clear();
    }
    toCancel.forEach(Job::cancel);
  }

  /**
   * The failure an input of a job gets: a job's cancellation says only that it was cancelled, so
   * when this embed was cancelled the failure says why, with the job's as its cause.
   *
   * @param error the job's failure of the input
   * @return the failure to report
   */
  synchronized Throwable explain(Throwable error) {
    if (reason == null || !(error instanceof CancellationException)) {
      return error;
    }
    CancellationException why = new CancellationException(reason);
    why.initCause(error);
    return why;
  }
}

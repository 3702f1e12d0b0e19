package io.batchwise.internal.embed;

import io.batchwise.scheduler.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The scheduler jobs of one embed, cancelled together when the instance closes before they end (the
 * scheduler may not be the instance's to close): each job started is cancelled, and none starts
 * after. The inputs of a cancelled job fail with a {@link CancellationException} that says why.
 * Thread-safe.
 */
final class EmbedCancellation {
  private final List<Job<?, ?>> jobs = new ArrayList<>(2);
  private String reason;

  /**
   * Records a job the embed started; cancels it at once when the embed is already cancelled.
   *
   * @param job the job
   */
  void started(Job<?, ?> job) {
    synchronized (this) {
      if (reason == null) {
        jobs.add(job);
        return;
      }
    }
    job.cancel();
  }

  /**
   * Cancels every job started and every one started later. Idempotent: the first reason stays.
   *
   * @param why what the failure of each input left unfinished says
   */
  void cancel(String why) {
    List<Job<?, ?>> started;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      started = List.copyOf(jobs);
      jobs.clear();
    }
    started.forEach(Job::cancel);
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
   * The failure an input of a job gets: a job's cancellation says only that it was cancelled, so when
   * this embed was cancelled the failure says why, with the job's as its cause.
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

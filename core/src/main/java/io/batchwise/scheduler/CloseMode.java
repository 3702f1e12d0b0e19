package io.batchwise.scheduler;

/** What {@link Scheduler#close()} does with jobs still running. */
public enum CloseMode {
  /**
   * Lets running jobs run to their end, up to the scheduler's close timeout, then cancels what is
   * left. The default: a {@code try}-with-resources block that submits a job and leaves does not
   * lose its work.
   */
  FINISH,
  /** Cancels running jobs at once; their unfinished items end {@link ItemStatus#CANCELLED}. */
  CANCEL
}

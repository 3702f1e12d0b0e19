package io.batchwise.scheduler;

/** The outcome of one item of a job. */
public enum ItemStatus {
  /** The agent returned an output for it. */
  SUCCEEDED,
  /** Its batch failed after the retries the policy allowed, or the item alone broke a limit. */
  FAILED,
  /** The job was cancelled before the item finished. */
  CANCELLED,
  /** The job's token budget ran out before the item's batch was started; it was never sent. */
  SKIPPED
}

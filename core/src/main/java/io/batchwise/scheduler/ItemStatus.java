package io.batchwise.scheduler;

/** The outcome of one item of a job. */
public enum ItemStatus {
  /** The agent returned an output for it. */
  SUCCEEDED,
  /**
   * Its batch failed after the retries the policy allowed, the item alone broke a limit, or the
   * job's timeout ({@link JobOptions#jobTimeout()}) passed before it finished.
   */
  FAILED,
  /** The job was cancelled before the item finished. */
  CANCELLED,
  /** The job's token budget ran out before the item's batch was started; it was never sent. */
  SKIPPED
}

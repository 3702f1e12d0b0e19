package io.batchwise.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * What a finished job returns: per-item results in input order (unless the job was told not to
 * retain them), the final progress, and why it stopped early, if it did.
 *
 * @param results one result per item in input order; empty when {@link JobOptions#retainResults()}
 *     is false
 * @param progress the final counts
 * @param stopReason why the job stopped before reading all of its source (budget, cancellation), or
 *     null
 * @param <I> the item type
 * @param <O> the output type
 */
public record JobResult<I, O>(
    List<ItemResult<I, O>> results, Progress progress, String stopReason) {

  /**
   * Why the job stopped early.
   *
   * @return the reason, or empty when it ran to the end
   */
  public Optional<String> stoppedEarly() {
    return Optional.ofNullable(stopReason);
  }

  /**
   * The outputs of the items that succeeded, in input order.
   *
   * @return the outputs
   */
  public List<O> outputs() {
    return results.stream().filter(ItemResult::succeeded).map(ItemResult::output).toList();
  }
}

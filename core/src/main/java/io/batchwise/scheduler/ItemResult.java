package io.batchwise.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one item: its position, status, output or error, and how many attempts it took.
 *
 * @param index the item's position in the job's input, from 0
 * @param item the item
 * @param status what happened
 * @param output the agent's output when {@link ItemStatus#SUCCEEDED}, else null
 * @param error why it did not succeed, else null
 * @param attempts how many times its batch was tried, 0 when never started
 * @param <I> the item type
 * @param <O> the output type
 */
public record ItemResult<I, O>(
    long index, I item, ItemStatus status, O output, Throwable error, int attempts) {

  /** Checks that a status is given. */
  public ItemResult {
    Objects.requireNonNull(status, "status");
  }

  /**
   * Whether the item succeeded.
   *
   * @return true for {@link ItemStatus#SUCCEEDED}
   */
  public boolean succeeded() {
    return status == ItemStatus.SUCCEEDED;
  }

  /**
   * The error, when there is one.
   *
   * @return the error or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}

package io.batchwise.map;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one item of a {@link Mapper#mapAll}: its answer, or why it has none.
 *
 * @param index the item's position, from 0
 * @param answer the answer as JSON text (an object, string, number, ... as the schema says) when
 *     {@link #succeeded()}, else null
 * @param cacheHit whether the answer came from the cache
 * @param attempts how many times the item was asked (0 for a cache hit or an item that failed
 *     before it was sent; the answers of duplicate items share one count)
 * @param error why the item has no answer, else null; its message names the item and the reason
 */
public record MapAnswer(
    long index, String answer, boolean cacheHit, int attempts, Throwable error) {

  /** Checks that exactly one of answer and error is present. */
  public MapAnswer {
    if ((answer == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of answer and error must be present");
    }
  }

  /**
   * A successful outcome.
   *
   * @param index the item's position
   * @param answer the answer, JSON text
   * @param cacheHit whether it came from the cache
   * @param attempts how many times the item was asked
   * @return the outcome
   */
  public static MapAnswer success(long index, String answer, boolean cacheHit, int attempts) {
    return new MapAnswer(index, Objects.requireNonNull(answer, "answer"), cacheHit, attempts, null);
  }

  /**
   * A failed outcome.
   *
   * @param index the item's position
   * @param error why
   * @param attempts how many times the item was asked
   * @return the outcome
   */
  public static MapAnswer failure(long index, Throwable error, int attempts) {
    return new MapAnswer(index, null, false, attempts, Objects.requireNonNull(error, "error"));
  }

  /**
   * Whether the item has an answer.
   *
   * @return true on success
   */
  public boolean succeeded() {
    return answer != null;
  }

  /**
   * The failure, if any.
   *
   * @return the error or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}

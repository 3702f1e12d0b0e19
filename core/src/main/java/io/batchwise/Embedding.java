package io.batchwise;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one input of an embed: its vector, or why it has none.
 *
 * <p>Every input gets exactly one {@code Embedding}, at its own index; nothing is dropped. The
 * vector array must not be modified (it may be shared with the cache and with duplicate inputs).
 *
 * @param index the input's position, from 0
 * @param vector the vector when {@link #succeeded()}, else null
 * @param tokens the input's token count as the provider's tokenizer measured it (after truncation),
 *     -1 when it was never counted (a cache hit or a validation failure)
 * @param truncated whether the input was cut to the per-input token limit before embedding
 * @param cacheHit whether the vector came from the cache
 * @param error why the input failed, else null; its message names the index and any limit
 */
public record Embedding(
    long index, float[] vector, int tokens, boolean truncated, boolean cacheHit, Throwable error) {

  /** Checks that exactly one of vector and error is present. */
  public Embedding {
    if ((vector == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of vector and error must be present");
    }
  }

  /**
   * A successful outcome.
   *
   * @param index the input's position
   * @param vector the vector
   * @param tokens the token count, or -1
   * @param truncated whether the input was truncated
   * @param cacheHit whether it came from the cache
   * @return the embedding
   */
  public static Embedding success(
      long index, float[] vector, int tokens, boolean truncated, boolean cacheHit) {
    return new Embedding(
        index, Objects.requireNonNull(vector, "vector"), tokens, truncated, cacheHit, null);
  }

  /**
   * A failed outcome.
   *
   * @param index the input's position
   * @param error why
   * @return the embedding
   */
  public static Embedding failure(long index, Throwable error) {
    return new Embedding(index, null, -1, false, false, Objects.requireNonNull(error, "error"));
  }

  /**
   * Whether the input has a vector.
   *
   * @return true on success
   */
  public boolean succeeded() {
    return vector != null;
  }

  /**
   * The failure, if any.
   *
   * @return the error or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return "Embedding{index="
        + index
        + (vector != null ? ", dims=" + vector.length : ", error=" + error.getMessage())
        + ", tokens="
        + tokens
        + (truncated ? ", truncated" : "")
        + (cacheHit ? ", cacheHit" : "")
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e
        && e.index == index
        && Arrays.equals(e.vector, vector)
        && e.tokens == tokens
        && e.truncated == truncated
        && e.cacheHit == cacheHit
        && Objects.equals(e.error, error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, Arrays.hashCode(vector), tokens, truncated, cacheHit, error);
  }
}

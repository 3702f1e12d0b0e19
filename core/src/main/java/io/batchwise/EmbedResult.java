package io.batchwise;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of an embed: one {@link Embedding} per input in input order, and the {@link Usage}.
 *
 * @param embeddings one per input, {@code embeddings.get(i).index() == i}
 * @param usage what it did and cost
 */
public record EmbedResult(List<Embedding> embeddings, Usage usage) {

  /** Copies the list. */
  public EmbedResult {
    embeddings = List.copyOf(embeddings);
  }

  /**
   * Whether every input has a vector.
   *
   * @return true when nothing failed
   */
  public boolean allSucceeded() {
    return usage.failed() == 0;
  }

  /**
   * The inputs that failed, in input order.
   *
   * @return the failures
   */
  public List<Embedding> failures() {
    return embeddings.stream().filter(e -> !e.succeeded()).toList();
  }

  /**
   * The vectors in input order.
   *
   * @return one vector per input
   * @throws EmbedFailedException when any input failed; it lists the failures (and {@link
   *     #embeddings()} still holds every vector that succeeded)
   */
  public List<float[]> vectors() {
    if (!allSucceeded()) {
      List<Embedding> failures = failures();
      String indexes =
          failures.stream()
                  .limit(20)
                  .map(e -> Long.toString(e.index()))
                  .collect(Collectors.joining(", "))
              + (failures.size() > 20 ? ", ..." : "");
      throw new EmbedFailedException(
          failures.size()
              + " of "
              + embeddings.size()
              + " inputs failed (indexes "
              + indexes
              + "); first: "
              + failures.get(0).error().getMessage(),
          failures);
    }
    return embeddings.stream().map(Embedding::vector).toList();
  }
}

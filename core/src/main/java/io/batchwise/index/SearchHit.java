package io.batchwise.index;

import java.util.Map;
import java.util.Objects;

/**
 * One result of a {@link VectorIndex} search. Immutable.
 *
 * @param id the entry's id
 * @param score the cosine similarity of the entry and the query, in [-1, 1] (higher is closer)
 * @param metadata the entry's metadata, unmodifiable
 */
public record SearchHit(String id, float score, Map<String, String> metadata) {

  /** Checks and copies. */
  public SearchHit {
    Objects.requireNonNull(id, "id");
    metadata = Map.copyOf(metadata);
  }
}

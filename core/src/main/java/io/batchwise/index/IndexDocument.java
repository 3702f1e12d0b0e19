package io.batchwise.index;

import java.util.Map;
import java.util.Objects;

/**
 * A text to embed and add to a {@link VectorIndex} with {@link VectorIndex#addBatch}. Immutable.
 *
 * <pre>{@code
 * index.addBatch(List.of(
 *     new IndexDocument("faq-1", "How do I reset my password?", Map.of("source", "faq.md"))),
 *     embedder);
 * }</pre>
 *
 * @param id the entry's id, unique within the index
 * @param text the text to embed (not stored unless you put it in the metadata)
 * @param metadata what to keep with the entry, e.g. its source file or the text itself
 */
public record IndexDocument(String id, String text, Map<String, String> metadata) {

  /** Checks and copies. */
  public IndexDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    metadata = Map.copyOf(metadata);
  }

  /**
   * A document without metadata.
   *
   * @param id the id
   * @param text the text
   * @return the document
   */
  public static IndexDocument of(String id, String text) {
    return new IndexDocument(id, text, Map.of());
  }
}

package io.batchwise.springai;

import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;

/**
 * Hands every document to the embedding model in one batch, so that Batchwise, not Spring AI, packs
 * them into provider calls.
 *
 * <p>Spring AI's default, {@code TokenCountBatchingStrategy}, cuts a vector store's documents into
 * batches of at most 8,191 tokens (less a 10% reserve) as JTokkit's {@code cl100k_base} counts
 * them, and the model is called once per batch. Batchwise already packs by the provider's own
 * tokenizer and limits (OpenAI takes 2,048 inputs and far more tokens in one request), dedupes and
 * caches; cutting first only makes more, smaller calls. And one document over the estimate fails
 * the whole {@code add} before anything is embedded, where Batchwise names it by index and has the
 * others embedded and cached, so the {@code add} that follows the fix sends only what is new.
 *
 * <pre>{@code
 * VectorStore store = PgVectorStore.builder(jdbcTemplate, new BatchwiseEmbeddingModel(bw.embedder()))
 *     .batchingStrategy(new PassThroughBatchingStrategy())
 *     .build();
 * }</pre>
 *
 * <p>Use it with {@link BatchwiseEmbeddingModel}; another model would receive all the documents in
 * one request. Stateless and thread-safe.
 */
public final class PassThroughBatchingStrategy implements BatchingStrategy {

  /** Creates the strategy (it has no state: one instance may serve every store). */
  public PassThroughBatchingStrategy() {}

  /**
   * One batch of all the documents, in order.
   *
   * @param documents the documents
   * @return no batch for no documents, else one batch holding them all
   */
  @Override
  public List<List<Document>> batch(List<Document> documents) {
    return documents.isEmpty() ? List.of() : List.of(List.copyOf(documents));
  }
}

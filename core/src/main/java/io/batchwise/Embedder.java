package io.batchwise;

import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.VectorIdentity;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Embeds many texts through one provider: validated, deduplicated, cached, token-limited, packed
 * per the provider's strategy, run concurrently with retries, reassembled in input order.
 *
 * <p>Every input gets one {@link Embedding} at its index; a failed input or call fails only its own
 * inputs. Texts are embedded as documents unless an {@link InputType} says otherwise: a model with
 * query and document prefixes (e5, bge, nomic) gets the query prefix for {@link InputType#QUERY},
 * and the cache keeps the two apart. Thread-safe; obtain it from {@link Batchwise#embedder()}.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("local").build()) {
 *   EmbedResult result = bw.embedder().embedAll(List.of("first text", "second text"));
 *   List<float[]> vectors = result.vectors();     // throws if any input failed
 *   float[] query = bw.embedder().embedQuery("which text comes first?");
 *   System.out.println(result.usage());
 * }
 * }</pre>
 */
public interface Embedder {

  /**
   * Embeds {@code texts} as documents and waits for the result.
   *
   * @param texts the inputs; null elements, blank strings and other bad inputs fail individually
   * @return one embedding per input, in input order, with usage
   * @throws NullPointerException when {@code texts} is null
   */
  default EmbedResult embedAll(List<String> texts) {
    return embedAll(texts, InputType.DOCUMENT);
  }

  /**
   * Embeds {@code texts} as {@code inputType} and waits for the result.
   *
   * @param texts the inputs; null elements, blank strings and other bad inputs fail individually
   * @param inputType what the texts are: {@link InputType#DOCUMENT} or {@link InputType#QUERY}
   * @return one embedding per input, in input order, with usage
   * @throws NullPointerException when {@code texts} or {@code inputType} is null
   */
  EmbedResult embedAll(List<String> texts, InputType inputType);

  /**
   * Embeds {@code texts} as documents without blocking the caller.
   *
   * @param texts the inputs
   * @return a future of the result; it completes exceptionally only when the embedder is closed
   */
  default CompletableFuture<EmbedResult> embedAllAsync(List<String> texts) {
    return embedAllAsync(texts, InputType.DOCUMENT);
  }

  /**
   * Embeds {@code texts} as {@code inputType} without blocking the caller.
   *
   * @param texts the inputs
   * @param inputType what the texts are
   * @return a future of the result; it completes exceptionally only when the embedder is closed
   */
  CompletableFuture<EmbedResult> embedAllAsync(List<String> texts, InputType inputType);

  /**
   * Embeds a source too large for memory as documents: reads it a window at a time and yields each
   * input's embedding in input order, holding at most a few windows in memory. The stream is lazy
   * and sequential; close it to stop early.
   *
   * @param texts the source, read on demand
   * @return the embeddings in input order
   */
  default Stream<Embedding> embedStream(Iterator<String> texts) {
    return embedStream(texts, InputType.DOCUMENT);
  }

  /**
   * Embeds a source too large for memory as {@code inputType}, as {@link #embedStream(Iterator)}
   * does.
   *
   * @param texts the source, read on demand
   * @param inputType what the texts are
   * @return the embeddings in input order
   */
  Stream<Embedding> embedStream(Iterator<String> texts, InputType inputType);

  /**
   * Embeds one text as a document.
   *
   * @param text the input
   * @return its vector
   * @throws EmbedFailedException when it fails
   */
  default float[] embed(String text) {
    return embedAll(List.of(text)).vectors().get(0);
  }

  /**
   * Embeds one text as a query, to search vectors of documents embedded by the same model (a model
   * with a query prefix gets it; see {@link InputType}).
   *
   * @param text the query
   * @return its vector
   * @throws EmbedFailedException when it fails
   */
  default float[] embedQuery(String text) {
    return embedAll(List.of(text), InputType.QUERY).vectors().get(0);
  }

  /**
   * The provider's model and limits.
   *
   * @return the model info
   */
  ModelInfo modelInfo();

  /**
   * The identity of this embedder's vectors of documents: the provider's {@link
   * io.batchwise.spi.EmbeddingProvider#identity()} with the provider's per-input token limit.
   * Vectors of equal identities are comparable; the cache is keyed by it, and query vectors by
   * {@code identity().forInputType(InputType.QUERY)}. An index records its projection ({@link
   * io.batchwise.index.IndexIdentity#of(VectorIdentity)}), which holds no input type. The default,
   * for embedders that are not the pipeline, is the provider id and {@link #modelInfo()} alone.
   *
   * @return the identity
   */
  default VectorIdentity identity() {
    return VectorIdentity.of(providerId(), modelInfo());
  }

  /**
   * The id of the provider behind this embedder.
   *
   * @return e.g. {@code local}
   */
  String providerId();
}

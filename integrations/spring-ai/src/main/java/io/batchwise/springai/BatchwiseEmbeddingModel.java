package io.batchwise.springai;

import io.batchwise.EmbedFailedException;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * A Batchwise {@link Embedder} as Spring AI's {@link EmbeddingModel}: every call is one Batchwise
 * {@code embedAll}, with its dedupe, cache, token-aware packing, rate limits and retries, so a
 * {@code VectorStore} or any other Spring AI component gets them without a change.
 *
 * <p><b>Packing.</b> Batchwise packs a call's texts into provider calls itself, by the provider's
 * real limits. A vector store that batches (most call {@code embed(documents, options,
 * batchingStrategy)} in {@code add}) should therefore be given {@link PassThroughBatchingStrategy},
 * so that it hands all its documents to one {@link #call} instead of cutting them first by Spring
 * AI's token estimate. ({@code SimpleVectorStore} embeds one document at a time with {@link
 * #embed(Document)}, whatever its strategy.)
 *
 * <p><b>Input types.</b> {@link #embed(String)} — what every Spring AI vector store calls with the
 * query of a similarity search — embeds its text as a query; {@link #call}, {@link
 * #embed(Document)} and the batch methods built on them embed documents. Models that embed both
 * kinds alike give the same vector either way.
 *
 * <p><b>All or nothing.</b> Spring AI expects a vector for every input or an exception. When any
 * input fails (a call that failed after the retries, an input over the token limit, a blank or null
 * text), the method throws one {@link EmbedFailedException} whose message names the failed indexes
 * and the first reason, and whose {@link EmbedFailedException#failures() failures()} hold each
 * failed input's reason. The vectors of the inputs that succeeded are already in the Batchwise
 * cache (when one is configured), so calling again with the same inputs sends only the ones that
 * failed.
 *
 * <p><b>Usage.</b> A response's {@link EmbeddingResponseMetadata} names the model and counts, as
 * prompt tokens, the tokens sent to the provider by that call (inputs answered by the cache or
 * deduplicated cost none); its native usage is the Batchwise {@link io.batchwise.Usage} (inputs,
 * cache hits, provider calls, retries, time). {@link #dimensions()} is the model info's; it calls
 * nothing.
 *
 * <p><b>Options.</b> A Batchwise instance embeds with one model: a request whose options name
 * another model or other dimensions fails with an {@link IllegalArgumentException} saying which.
 *
 * <p>Thread-safe, as the embedder is. Closing the {@code Batchwise} instance that made the embedder
 * is the caller's business.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("local").cache("sqlite").build()) {
 *   EmbeddingModel model = new BatchwiseEmbeddingModel(bw.embedder());
 *   VectorStore store = SimpleVectorStore.builder(model).build();
 *   store.add(documents);
 *   List<Document> hits = store.similaritySearch("how do plants make sugar?");
 * }
 * }</pre>
 */
public final class BatchwiseEmbeddingModel implements EmbeddingModel {
  private final Embedder embedder;

  /**
   * Presents an embedder as a Spring AI model.
   *
   * @param embedder the embedder, e.g. {@code batchwise.embedder()}
   */
  public BatchwiseEmbeddingModel(Embedder embedder) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  /**
   * Embeds a request's texts as documents, in one Batchwise {@code embedAll}.
   *
   * @param request the texts, with options that may repeat this model's name and dimensions
   * @return one result per text, in order (each with its index), with the model and usage
   * @throws EmbedFailedException when any text failed; it names them
   * @throws IllegalArgumentException when the options ask for another model or other dimensions
   */
  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    checkOptions(request.getOptions());
    return response(embedDocuments(request.getInstructions()));
  }

  /**
   * Embeds a query: the text Spring AI's vector stores search with.
   *
   * @param text the query
   * @return its vector
   * @throws EmbedFailedException when it failed
   */
  @Override
  public float[] embed(String text) {
    Objects.requireNonNull(text, "text");
    return embedQuery(text).vectors().get(0);
  }

  /**
   * Embeds a document's {@linkplain #getEmbeddingContent(Document) content}.
   *
   * @param document the document
   * @return its vector
   * @throws EmbedFailedException when it failed (a document without text fails as a null input)
   */
  @Override
  public float[] embed(Document document) {
    return embedDocuments(Collections.singletonList(getEmbeddingContent(document)))
        .vectors()
        .get(0);
  }

  /**
   * The length of the vectors, from the embedder's model info (no call is made).
   *
   * @return the dimensions
   */
  @Override
  public int dimensions() {
    return embedder.modelInfo().dimensions();
  }

  @Override
  public String toString() {
    return "BatchwiseEmbeddingModel[" + embedder.identity() + "]";
  }

  private EmbedResult embedQuery(String text) {
    return embedder.embedAll(List.of(text), InputType.QUERY);
  }

  private EmbedResult embedDocuments(List<String> texts) {
    return embedder.embedAll(texts, InputType.DOCUMENT);
  }

  private EmbeddingResponse response(EmbedResult result) {
    List<float[]> vectors = result.vectors();
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      // a copy: Batchwise shares a vector with its cache and with duplicate inputs
      embeddings.add(new Embedding(vectors.get(i).clone(), i));
    }
    int tokens = (int) Math.min(result.usage().tokens(), Integer.MAX_VALUE);
    return new EmbeddingResponse(
        embeddings,
        new EmbeddingResponseMetadata(
            embedder.modelInfo().modelId(), new DefaultUsage(tokens, 0, tokens, result.usage())));
  }

  private void checkOptions(EmbeddingOptions options) {
    if (options == null) {
      return;
    }
    ModelInfo info = embedder.modelInfo();
    String model = options.getModel();
    if (model != null && !model.equals(info.modelId())) {
      throw new IllegalArgumentException(
          "the request asks for model '"
              + model
              + "', but this Batchwise embedder"
              + " embeds with '"
              + info.modelId()
              + "': choose the model when building the Batchwise instance");
    }
    Integer dimensions = options.getDimensions();
    if (dimensions != null && dimensions != info.dimensions()) {
      throw new IllegalArgumentException(
          "the request asks for "
              + dimensions
              + " dimensions, but model '"
              + info.modelId()
              + "' of this Batchwise embedder gives "
              + info.dimensions());
    }
  }
}

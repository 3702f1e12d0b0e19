package io.batchwise.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import io.batchwise.EmbedFailedException;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Usage;
import io.batchwise.spi.InputType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Batchwise {@link Embedder} as LangChain4j's {@link EmbeddingModel}: every call is one Batchwise
 * {@code embedAll}, with its dedupe, cache, token-aware packing, rate limits and retries, so an
 * {@code EmbeddingStoreIngestor}, a content retriever or any other LangChain4j component gets them
 * without a change.
 *
 * <p><b>Input types.</b> {@link #embed(String)} — what LangChain4j's retrievers call with the query
 * — embeds its text as a query; {@link #embed(TextSegment)} and {@link #embedAll(List)} embed
 * documents. An {@link EmbeddingRequest} says which it holds with its {@link
 * EmbeddingRequest#inputType() input type} (no type: documents). Models that embed both kinds alike
 * give the same vector either way.
 *
 * <p><b>All or nothing.</b> LangChain4j expects a vector for every input or an exception. When any
 * input fails (a call that failed after the retries, an input over the token limit, a blank text),
 * the method throws one {@link EmbedFailedException} whose message names the failed indexes and the
 * first reason, and whose {@link EmbedFailedException#failures() failures()} hold each failed
 * input's reason. The vectors of the inputs that succeeded are already in the Batchwise cache (when
 * one is configured), so calling again with the same inputs sends only the ones that failed.
 *
 * <p><b>Usage.</b> The {@link TokenUsage} of a response counts the tokens sent to the provider by
 * that call — inputs answered by the cache or deduplicated cost none — as input tokens. {@link
 * #dimension()} and {@link #modelName()} are the embedder's model info; neither calls the provider.
 *
 * <p>Per-call model names and dimensions are not supported: a Batchwise instance embeds with one
 * model, so LangChain4j rejects a request that sets them ({@link #supportedParameters()}).
 *
 * <p>Thread-safe, as the embedder is. Closing the {@code Batchwise} instance that made the embedder
 * is the caller's business.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("local").cache("sqlite").build()) {
 *   EmbeddingModel model = new BatchwiseEmbeddingModel(bw.embedder());
 *   EmbeddingStoreIngestor.builder().embeddingModel(model).embeddingStore(store)
 *       .documentSplitter(DocumentSplitters.recursive(300, 0)).build().ingest(documents);
 * }
 * }</pre>
 */
public final class BatchwiseEmbeddingModel implements EmbeddingModel {
  private final Embedder embedder;

  /**
   * Presents an embedder as a LangChain4j model.
   *
   * @param embedder the embedder, e.g. {@code batchwise.embedder()}
   */
  public BatchwiseEmbeddingModel(Embedder embedder) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  /**
   * Embeds a query: the text LangChain4j's retrievers search with.
   *
   * @param text the query
   * @return its vector, with the tokens sent
   * @throws EmbedFailedException when it failed (blank, over the token limit, or the call failed)
   */
  @Override
  public Response<Embedding> embed(String text) {
    EmbedResult result = embedQueries(List.of(text));
    return Response.from(embeddings(result).get(0), tokenUsage(result.usage()));
  }

  /**
   * Embeds one segment as a document.
   *
   * @param textSegment the segment
   * @return its vector, with the tokens sent
   * @throws EmbedFailedException when it failed
   */
  @Override
  public Response<Embedding> embed(TextSegment textSegment) {
    EmbedResult result = embedDocuments(List.of(textSegment.text()));
    return Response.from(embeddings(result).get(0), tokenUsage(result.usage()));
  }

  /**
   * Embeds segments as documents, in one Batchwise {@code embedAll}.
   *
   * @param textSegments the segments; null or empty gives an empty response, as in LangChain4j
   * @return one vector per segment, in order, with the tokens sent
   * @throws EmbedFailedException when any segment failed; it names them
   */
  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
    if (textSegments == null || textSegments.isEmpty()) {
      return Response.from(List.of());
    }
    EmbedResult result = embedDocuments(textSegments.stream().map(TextSegment::text).toList());
    return Response.from(embeddings(result), tokenUsage(result.usage()));
  }

  /**
   * Embeds a request's inputs as its {@link EmbeddingRequest#inputType() input type} says: queries
   * for {@link EmbeddingInputType#QUERY}, documents otherwise.
   *
   * @param request the request, its parameters merged and checked by {@link
   *     #embed(EmbeddingRequest)}
   * @return one vector per input, in order, with this model's name and the tokens sent
   * @throws EmbedFailedException when any input failed; it names them
   */
  @Override
  public EmbeddingResponse doEmbed(EmbeddingRequest request) {
    List<String> texts = request.inputs().stream().map(EmbeddingInput::text).toList();
    EmbedResult result =
        request.inputType() == EmbeddingInputType.QUERY
            ? embedQueries(texts)
            : embedDocuments(texts);
    return EmbeddingResponse.builder()
        .embeddings(embeddings(result))
        .metadata(
            EmbeddingResponseMetadata.builder()
                .modelName(modelName())
                .tokenUsage(tokenUsage(result.usage()))
                .build())
        .build();
  }

  /**
   * The per-call parameter this model honours: the input type. Model name and dimensions are fixed
   * by the Batchwise instance.
   *
   * @return {@link EmbeddingRequestParameters#INPUT_TYPE}
   */
  @Override
  public Set<EmbeddingParameter<?>> supportedParameters() {
    return Set.of(EmbeddingRequestParameters.INPUT_TYPE);
  }

  /**
   * The length of the vectors, from the embedder's model info (no call is made).
   *
   * @return the dimensions
   */
  @Override
  public int dimension() {
    return embedder.modelInfo().dimensions();
  }

  /**
   * The model, as the embedder's provider names it.
   *
   * @return the model id, e.g. {@code all-minilm-l6-v2}
   */
  @Override
  public String modelName() {
    return embedder.modelInfo().modelId();
  }

  @Override
  public String toString() {
    return "BatchwiseEmbeddingModel[" + embedder.identity() + "]";
  }

  private EmbedResult embedQueries(List<String> texts) {
    return embedder.embedAll(texts, InputType.QUERY);
  }

  private EmbedResult embedDocuments(List<String> texts) {
    return embedder.embedAll(texts, InputType.DOCUMENT);
  }

  /**
   * The vectors in input order, or the one exception that names every failed input. Each is a copy:
   * LangChain4j's {@code Embedding.normalize()} changes its array in place, and Batchwise shares a
   * vector with its cache and with duplicate inputs.
   */
  private static List<Embedding> embeddings(EmbedResult result) {
    return result.vectors().stream().map(v -> Embedding.from(v.clone())).toList();
  }

  private static TokenUsage tokenUsage(Usage usage) {
    return new TokenUsage((int) Math.min(usage.tokens(), Integer.MAX_VALUE));
  }
}

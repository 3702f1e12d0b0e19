package io.batchwise.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any LangChain4j {@link EmbeddingModel} as a Batchwise provider: the model's calls get Batchwise's
 * cache, dedupe, packing, concurrency and rate limits, retries, metrics and failure isolation.
 *
 * <pre>{@code
 * EmbeddingModel openAi = OpenAiEmbeddingModel.builder()
 *     .apiKey(key).modelName("text-embedding-3-small")
 *     .maxRetries(0)                       // Batchwise retries; two layers would multiply
 *     .build();
 * try (LangChain4jProvider provider = LangChain4jProvider.builder(openAi).maxInputsPerCall(2048).build();
 *      Batchwise bw = Batchwise.builder().provider(provider).cache("sqlite").build()) {
 *   List<float[]> vectors = bw.embedder().embedAll(texts).vectors();
 * }
 * }</pre>
 *
 * <p><b>Packing.</b> A LangChain4j model does not say how it tokenizes, so by default each text
 * counts as one token: calls are packed by item count, at most {@link
 * Builder#maxInputsPerCall(int)} texts, and a text too long for the model fails in the model's own
 * call. Give {@link Builder#tokenizer(Tokenizer, int, int)} the model's tokenizer (for example one
 * from {@code batchwise-providers-openai}'s tokenizer registry) to pack by tokens and check the
 * per-input limit before anything is sent.
 *
 * <p><b>Retries.</b> The scheduler retries failed calls; the wrapped model should not, or the two
 * layers multiply. Build it with {@code .maxRetries(0)} (LangChain4j's hosted models retry twice by
 * default). Failures are classified from LangChain4j's exceptions: {@code RateLimitException} is
 * retryable and rate-limited, any other {@code RetriableException}, an {@code HttpException} of
 * status 408, 429 or 5xx and an I/O failure are retryable, everything else is not.
 *
 * <p><b>Calls.</b> {@code embedAll} of LangChain4j blocks, so each call runs on a thread of this
 * provider's own pool; Batchwise's {@code concurrency} bounds how many run at once. A call the
 * pipeline cancels (timeout, a cancelled embed) interrupts its thread. {@link #close()} stops the
 * pool; the model itself is the caller's.
 *
 * <p><b>Identity.</b> The cache keys vectors by the provider id {@code langchain4j}, the model's
 * name, its dimensions, the normalization, the model's class and the attributes given to {@link
 * Builder#identity(String, String)}. Two models of the same class and name that embed differently
 * (another endpoint, another deployment) need an attribute that tells them apart.
 *
 * <p>Thread-safe when the wrapped model is (LangChain4j's are).
 */
public final class LangChain4jProvider implements EmbeddingProvider {
  /** The provider id, the first part of every cache namespace of these vectors. */
  public static final String ID = "langchain4j";

  /** Identity attribute: the wrapped model's class. */
  public static final String MODEL_CLASS = "model-class";

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final EmbeddingModel model;
  private final ModelInfo info;
  private final Tokenizer tokenizer;
  private final VectorIdentity identity;
  private final ExecutorService calls;

  private LangChain4jProvider(Builder b) {
    this.model = b.model;
    this.tokenizer = b.tokenizer;
    this.info =
        new ModelInfo(
            modelId(b.model),
            b.model.dimension(),
            b.normalized,
            b.maxInputsPerCall,
            b.maxTokensPerInput,
            b.maxTokensPerCall,
            ModelInfo.NO_LIMIT);
    VectorIdentity id = VectorIdentity.of(ID, info).with(MODEL_CLASS, b.model.getClass().getName());
    for (var attribute : b.attributes.entrySet()) {
      id = id.with(attribute.getKey(), attribute.getValue());
    }
    this.identity = id;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, "batchwise-langchain4j-" + pool + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts wrapping a model.
   *
   * @param model the LangChain4j model, built with {@code maxRetries(0)} where it has the option
   * @return a builder
   */
  public static Builder builder(EmbeddingModel model) {
    return new Builder(model);
  }

  /**
   * Wraps a model with the defaults: packed by item count, 64 texts per call, vectors not declared
   * normalized.
   *
   * @param model the LangChain4j model
   * @return the provider
   */
  public static LangChain4jProvider of(EmbeddingModel model) {
    return builder(model).build();
  }

  private static String modelId(EmbeddingModel model) {
    String name = model.modelName();
    // "unknown" is LangChain4j's stand-in for a model that does not name itself
    return name == null || name.isBlank() || name.equals("unknown")
        ? model.getClass().getName()
        : name;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ModelInfo modelInfo() {
    return info;
  }

  @Override
  public VectorIdentity identity() {
    return identity;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Packs as many texts as the limits allow into each call, in input order; the calls run
   * concurrently. In-process LangChain4j models spread one call over the cores themselves.
   *
   * @return {@link BatchStrategy#SINGLE_CALL}
   */
  @Override
  public BatchStrategy batchStrategy() {
    return BatchStrategy.SINGLE_CALL;
  }

  /**
   * Embeds {@code texts} with one call of the wrapped model, on this provider's pool: an {@link
   * EmbeddingRequest} carrying the context's input type when the model supports {@link
   * EmbeddingRequestParameters#INPUT_TYPE}, else its {@code embedAll} (which embeds documents; a
   * query then gets the document vector, under its own cache key).
   *
   * @param texts at least one text, within {@link #modelInfo()}'s limits
   * @param context the call's input type and cancellation
   * @return a future of one vector per text, in order; failed with a {@link CallFailedException}
   *     classified from the model's exception
   */
  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    if (context.isCancelled()) {
      return CompletableFuture.failedFuture(
          new CancellationException("the call was cancelled before it ran"));
    }
    InputType type = context.inputType();
    CompletableFuture<List<float[]>> result = new CompletableFuture<>();
    Future<?> task;
    try {
      task =
          calls.submit(
              () -> {
                try {
                  // inside the call: a text LangChain4j refuses (TextSegment takes no blank text)
                  // fails the call, classified like the model's own failures
                  List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
                  result.complete(
                      callModel(segments, type).stream().map(Embedding::vector).toList());
                } catch (RuntimeException e) {
                  result.completeExceptionally(LangChain4jFailures.classify(model, e));
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          CallFailedException.permanent("the langchain4j provider is closed", e));
      return result;
    }
    // a cancelled call (timeout, cancelled embed) stops the model's blocking call where it can be
    // interrupted
    result.whenComplete(
        (vectors, error) -> {
          if (result.isCancelled()) {
            task.cancel(true);
          }
        });
    return result;
  }

  private List<Embedding> callModel(List<TextSegment> segments, InputType type) {
    if (!model.supportedParameters().contains(EmbeddingRequestParameters.INPUT_TYPE)) {
      return model.embedAll(segments).content();
    }
    EmbeddingInputType inputType =
        type == InputType.QUERY ? EmbeddingInputType.QUERY : EmbeddingInputType.DOCUMENT;
    return model
        .embed(EmbeddingRequest.builder().textSegments(segments).inputType(inputType).build())
        .embeddings();
  }

  /**
   * Stops this provider's threads (a call in flight is interrupted); the wrapped model stays open.
   * Idempotent.
   */
  @Override
  public void close() {
    calls.shutdownNow();
  }

  @Override
  public String toString() {
    return "LangChain4jProvider[" + identity + "]";
  }

  /**
   * Configures a {@link LangChain4jProvider}. Not thread-safe; {@link #build()} validates the
   * limits.
   */
  public static final class Builder {
    private final EmbeddingModel model;
    private final TreeMap<String, String> attributes = new TreeMap<>();
    private int maxInputsPerCall = 64;
    private boolean normalized;
    private Tokenizer tokenizer = ItemTokenizer.INSTANCE;
    private int maxTokensPerInput = 1;
    private int maxTokensPerCall = -1;

    private Builder(EmbeddingModel model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * The most texts one call of the model may carry (default 64). A hosted model splits a larger
     * call into its own requests, so this is the unit of Batchwise's caching, retries and failure
     * isolation; set it to the service's limit (OpenAI: 2048) to send as few requests as possible.
     *
     * @param maxInputsPerCall at least 1
     * @return this builder
     */
    public Builder maxInputsPerCall(int maxInputsPerCall) {
      this.maxInputsPerCall = maxInputsPerCall;
      return this;
    }

    /**
     * Whether the model returns unit-length vectors (default false, which never misleads: Batchwise
     * then checks nothing about their length). LangChain4j's in-process models do normalize.
     *
     * @param normalized true when every vector has L2 norm 1
     * @return this builder
     */
    public Builder normalized(boolean normalized) {
      this.normalized = normalized;
      return this;
    }

    /**
     * Packs by tokens instead of items: the model's tokenizer and its limits.
     *
     * @param tokenizer counts what the model sees, thread-safe
     * @param maxTokensPerInput the most tokens one text may have; a longer text fails or is cut, by
     *     Batchwise's {@code limit-policy}
     * @param maxTokensPerCall the most tokens, summed over its texts, one call may carry
     * @return this builder
     */
    public Builder tokenizer(Tokenizer tokenizer, int maxTokensPerInput, int maxTokensPerCall) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      this.maxTokensPerInput = maxTokensPerInput;
      this.maxTokensPerCall = maxTokensPerCall;
      return this;
    }

    /**
     * Adds a setting that changes the vectors to the cache key, such as the endpoint of a
     * self-hosted model. Never a secret.
     *
     * @param name lowercase letters, digits, {@code .} and {@code -}
     * @param value its value
     * @return this builder
     */
    public Builder identity(String name, String value) {
      attributes.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Creates the provider; asks the model for its {@code dimension()}, which for a model that does
     * not know it embeds one text.
     *
     * @return the provider
     * @throws IllegalArgumentException naming a limit that is out of range
     */
    public LangChain4jProvider build() {
      if (tokenizer == ItemTokenizer.INSTANCE) {
        // one token per text: the token limits say nothing beyond the item count
        maxTokensPerCall = Math.max(1, maxInputsPerCall);
      }
      return new LangChain4jProvider(this);
    }
  }
}

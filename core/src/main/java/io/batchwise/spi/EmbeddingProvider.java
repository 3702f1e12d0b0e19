package io.batchwise.spi;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One provider call: embed a list of texts that already fits the provider's {@link ModelInfo}
 * limits.
 *
 * <p>There is one method to implement for a call, {@link #embed(List, CallContext)}. The embed
 * pipeline does everything else — validation, dedupe, caching, token limits, packing, concurrency,
 * retries, reassembly — so an implementation only turns texts into vectors, applies what the call's
 * {@linkplain CallContext#inputType() input type} asks of its model (a query or document prefix),
 * and classifies its failures. It must not retry: on failure it completes the future exceptionally
 * with a {@link CallFailedException} that says whether the scheduler may retry and after how long.
 * Retries that happened in two layers would multiply.
 *
 * <p>Implementations must be thread-safe: the pipeline runs many calls at once.
 *
 * <pre>{@code
 * EmbeddingProvider p = ...;
 * List<float[]> vectors = p.embed(List.of("hello", "world"), CallContext.of(InputType.DOCUMENT)).join();
 * // vectors.get(i) is the vector of texts.get(i)
 * }</pre>
 */
public interface EmbeddingProvider extends AutoCloseable {

  /**
   * The id of the factory that created this provider, e.g. {@code local}; part of its {@link
   * #identity()}.
   *
   * @return the provider id
   */
  String id();

  /**
   * The model, its vectors and the limits one call must respect.
   *
   * @return the model info
   */
  ModelInfo modelInfo();

  /**
   * Everything that decides which vector a text gets from this provider, whatever the input type:
   * its id and model, the dimensions and normalization of {@link #modelInfo()}, and every other
   * setting that changes a vector (pooling, the configured query and document prefixes, the remote
   * endpoint, a hash of the model's files). The embed pipeline keys its cache by it and by the
   * call's {@link InputType} ({@link VectorIdentity#forInputType}), so a provider that leaves a
   * vector-changing setting out of it may be served vectors another setting produced. Never put a
   * secret in it.
   *
   * <p>The default declares only the id and {@link #modelInfo()}; override it when other settings
   * change the vectors.
   *
   * @return the identity; its dimensions and normalization match {@link #modelInfo()}
   */
  default VectorIdentity identity() {
    return VectorIdentity.of(id(), modelInfo());
  }

  /**
   * The tokenizer whose counts {@link ModelInfo#maxTokensPerInput()}, {@link
   * ModelInfo#maxTokensPerCall()} and {@link ModelInfo#microBatchTokenBudget()} are measured in.
   *
   * @return the tokenizer, shared and thread-safe
   */
  Tokenizer tokenizer();

  /**
   * How the pipeline should cut inputs into calls.
   *
   * @return the strategy
   */
  BatchStrategy batchStrategy();

  /**
   * What to do by default with an input over the per-input token limit: {@code FAIL} for remote
   * APIs, {@code TRUNCATE} for local models (as sentence-transformers does).
   *
   * @return the default limit policy
   */
  default LimitPolicy defaultLimitPolicy() {
    return LimitPolicy.FAIL;
  }

  /**
   * What the provider's service reported about its rate limits (remote APIs read them from response
   * headers), so the scheduler can pace calls by it: the instance's pacer for this provider, shared
   * by every embed, keeps the stricter of its per-minute limits and the configured ones, and asks
   * it before starting each call. It reports and counts nothing itself ({@link CallPacer}).
   *
   * @return the pacer; {@link CallPacer#NONE} for providers without remote limits
   */
  default CallPacer pacer() {
    return CallPacer.NONE;
  }

  /**
   * Called when an embed has inputs for this provider (the cache did not answer them), before their
   * tokens are counted and their calls made: a provider that loads what its calls need on first use
   * (an in-process model's session) may start loading it now, so that the load overlaps the loading
   * of its tokenizer and the counting instead of following them. A run answered entirely from the
   * cache never calls it.
   *
   * <p>May be called many times, from any thread; it must return at once (start the work on a
   * thread of the provider's own) and should not throw (what it throws is logged and ignored). A
   * failure of the work it starts belongs to the calls that need it. The default does nothing.
   */
  default void prepare() {}

  /**
   * Embeds {@code texts} in one call, as the context's {@linkplain CallContext#inputType() input
   * type}.
   *
   * <p>Before starting expensive work, check {@link CallContext#isCancelled()} and complete the
   * future with a {@link CancellationException} (or a {@link CallFailedException}) when it is set.
   * Cancelling the returned future (a timeout, a stopped job) should stop the work still under way
   * where that is possible. A remote provider reports {@link CallContext#answered()} once the
   * service has answered, so the call's concurrency slot starts the next call while this answer is
   * still read and decoded.
   *
   * @param texts at least one text, within the limits of {@link #modelInfo()}
   * @param context the input type, the progress listener and the cancellation of this call
   * @return a future of one vector per text, in the order of {@code texts}, each of {@link
   *     ModelInfo#dimensions()} floats; completed exceptionally with a {@link CallFailedException}
   *     when the call fails
   */
  CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context);

  /** Releases what the provider holds (native sessions, connection pools). Idempotent. */
  @Override
  default void close() {}
}

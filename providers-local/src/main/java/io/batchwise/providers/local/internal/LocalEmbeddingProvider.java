package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtException;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputPrefixes;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} provider: one ONNX Runtime session and one tokenizer, shared by every call.
 *
 * <p>Both load on the first call that needs them ({@link Deferred}), not when the provider is
 * created: what the pipeline needs before a call (the model info, the identity that keys the cache)
 * comes from the model's metadata, so that a run answered entirely from the cache loads neither.
 * They load at once: {@link #prepare()}, which the pipeline calls before counting the first misses
 * (and the first call makes if nobody did), starts creating the session on a session thread while
 * the counting loads the tokenizer on the CPU pool, so a cold start costs the longer of the two
 * loads, not their sum; runs wait for the session. A model that cannot be loaded fails that call
 * and every later one with a non-retryable {@link CallFailedException} naming the file and the
 * cause.
 *
 * <p>A call is one micro-batch: it is tokenized on the CPU pool (never on the caller's thread) and
 * run, padded to its longest row, on one of {@code concurrentRuns} session threads; the vectors
 * come back in input order. The provider does not pack: the embed pipeline's scheduler cuts the
 * inputs into length-sorted micro-batches within {@link ModelInfo#microBatchTokenBudget()} and
 * {@link ModelInfo#maxInputsPerCall()} ({@code PARALLEL_GATHER}) and calls {@link #embed(List,
 * CallContext)} once per micro-batch and many at once, so all cores stay busy with little padding.
 * A call of more inputs than {@link ModelInfo#maxInputsPerCall()} fails at once with a
 * non-retryable {@link CallFailedException} naming the limit; one over the token-position budget
 * runs as one padded run (it costs memory, not correctness). A call whose context is cancelled, or
 * whose future is cancelled (a timeout, a stopped job), skips its run if it has not started, and
 * its tokenizing if that has not begun; a run already on the session finishes and its vectors are
 * dropped. Thread-safe. {@link #close()} waits for running micro-batches, then frees the native
 * session; calls after it fail with a non-retryable {@link CallFailedException}.
 */
final class LocalEmbeddingProvider implements EmbeddingProvider {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEmbeddingProvider.class);

  /**
   * How long {@link #close()} waits for running micro-batches before leaving the session to the OS.
   */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String id;
  private final ModelInfo modelInfo;
  private final VectorIdentity identity;
  private final Tokenizer sharedTokenizer;
  private final Deferred<HfTokenizer> tokenizer;
  private final Deferred<OnnxModel> model;

  /** The text put before each input of a call, by the call's input type. */
  private final InputPrefixes prefixes;

  private final int maxSequenceLength;
  private final Executor cpuExecutor;
  private final ThreadPoolExecutor runExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Whether the session is being created or was ({@link #prepare()}). */
  private final AtomicBoolean modelLoadStarted = new AtomicBoolean();

  private final LongAdder microBatchesRun = new LongAdder();

  LocalEmbeddingProvider(
      String id,
      ModelInfo modelInfo,
      VectorIdentity identity,
      Tokenizer sharedTokenizer,
      Deferred<HfTokenizer> tokenizer,
      Deferred<OnnxModel> model,
      InputPrefixes prefixes,
      int maxSequenceLength,
      int concurrentRuns,
      Executor cpuExecutor) {
    this.id = id;
    this.modelInfo = modelInfo;
    this.identity = identity;
    this.sharedTokenizer = sharedTokenizer;
    this.tokenizer = tokenizer;
    this.model = model;
    this.prefixes = prefixes;
    this.maxSequenceLength = maxSequenceLength;
    this.cpuExecutor = cpuExecutor;
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.runExecutor =
        new ThreadPoolExecutor(
            concurrentRuns,
            concurrentRuns,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(
                      r, "batchwise-local-" + instance + "-run-" + threads.incrementAndGet());
              t.setDaemon(true); // a forgotten close() must not keep the JVM alive
              return t;
            });
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  @Override
  public VectorIdentity identity() {
    return identity;
  }

  @Override
  public Tokenizer tokenizer() {
    return sharedTokenizer;
  }

  @Override
  public BatchStrategy batchStrategy() {
    return BatchStrategy.PARALLEL_GATHER;
  }

  /** {@code TRUNCATE}, as sentence-transformers does with inputs over the model's length. */
  @Override
  public LimitPolicy defaultLimitPolicy() {
    return LimitPolicy.TRUNCATE;
  }

  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(context, "context");
    CompletableFuture<List<float[]>> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(closedFailure());
      return result;
    }
    if (context.isCancelled()) {
      result.completeExceptionally(
          new CancellationException("the call was cancelled before it started"));
      return result;
    }
    if (texts.isEmpty()) {
      result.complete(List.of());
      return result;
    }
    if (texts.size() > modelInfo.maxInputsPerCall()) {
      // a quantized model's vectors depend on their batch neighbours: running more rows is no
      // option
      result.completeExceptionally(
          CallFailedException.permanent(
              "a call of "
                  + texts.size()
                  + " inputs is over "
                  + modelInfo.modelId()
                  + "'s "
                  + modelInfo.maxInputsPerCall()
                  + " inputs per call (local.max-batch-rows, "
                  + "local.token-budget): each call runs as one micro-batch; the embed pipeline cuts calls to fit, a direct"
                  + " caller cuts them first",
              null));
      return result;
    }
    List<String> inputs = new ArrayList<>(texts);
    // nobody waits for the vectors once the call's future is done or its context cancelled
    BooleanSupplier abandoned = () -> result.isDone() || context.isCancelled();
    try {
      prepare(); // a direct caller (no pipeline) gets the same overlap
      String prefix = prefixes.prefix(context.inputType());
      CompletableFuture.supplyAsync(() -> tokenize(inputs, prefix, abandoned), cpuExecutor)
          .thenCompose(rows -> run(rows, abandoned))
          .whenComplete(
              (vectors, failure) -> {
                if (failure == null) {
                  result.complete(vectors);
                } else {
                  result.completeExceptionally(classify(failure));
                }
              });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(classify(e));
    }
    return result;
  }

  /**
   * Starts creating the session on a session thread, once, if nobody did: the pipeline calls this
   * before it counts an embed's misses, which loads the tokenizer, so the two loads (each a large
   * part of a cold start) overlap instead of following each other. The session is queued ahead of
   * every run, which waits for it in {@link #runMicroBatch}; a failure is kept by the {@link
   * Deferred} and reported by the runs that need the session. Does nothing once the provider is
   * closed.
   */
  @Override
  public void prepare() {
    if (closed.get()
        || model.ifMade().isPresent()
        || !modelLoadStarted.compareAndSet(false, true)) {
      return;
    }
    try {
      runExecutor.execute(
          () -> {
            try {
              model.get();
            } catch (RuntimeException e) {
              // kept by the Deferred: each run that needs the session fails with it, naming it
            }
          });
    } catch (RejectedExecutionException e) {
      // closing: no call will run
    }
  }

  private long[][] tokenize(List<String> texts, String prefix, BooleanSupplier abandoned) {
    skipIfAbandoned(abandoned);
    HfTokenizer words = loaded(tokenizer, "tokenizer");
    long[][] rows = new long[texts.size()][];
    for (int i = 0; i < rows.length; i++) {
      String text = texts.get(i);
      if (text == null) {
        throw CallFailedException.permanent("input " + i + " of the call is null", null);
      }
      long[] ids = prefix.isEmpty() ? words.idsToEmbed(text) : words.ids(prefix + text);
      if (ids.length > maxSequenceLength) {
        throw CallFailedException.permanent(
            "input "
                + i
                + " of the call has "
                + words.count(text)
                + " tokens; "
                + modelInfo.modelId()
                + " takes at most "
                + modelInfo.maxTokensPerInput()
                + " per input. Truncate it first (the embedder does under the TRUNCATE limit policy).",
            null);
      }
      rows[i] = ids;
    }
    return rows;
  }

  private CompletableFuture<List<float[]>> run(long[][] rows, BooleanSupplier abandoned) {
    return CompletableFuture.supplyAsync(
        () -> {
          skipIfAbandoned(abandoned);
          return runMicroBatch(rows);
        },
        runExecutor);
  }

  /**
   * Nobody waits for the call's vectors any more (it was cancelled or timed out): do not compute
   * them.
   */
  private static void skipIfAbandoned(BooleanSupplier abandoned) {
    if (abandoned.getAsBoolean()) {
      throw new CancellationException("the call was cancelled");
    }
  }

  private List<float[]> runMicroBatch(long[][] rows) {
    if (closed.get()) {
      throw closedFailure();
    }
    microBatchesRun.increment();
    List<long[]> batch = List.of(rows);
    OnnxModel session = loaded(model, "model");
    try {
      return List.of(session.embed(batch));
    } catch (OrtException e) {
      int longest = batch.stream().mapToInt(r -> r.length).max().orElse(0);
      throw CallFailedException.permanent(
          "ONNX Runtime failed on a micro-batch of "
              + rows.length
              + " inputs of up to "
              + longest
              + " tokens ("
              + modelInfo.modelId()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The tokenizer or the session, loaded now if no call loaded it before; a load that failed (now
   * or earlier) fails the call for good, since the same files would fail again.
   */
  private <T> T loaded(Deferred<T> deferred, String what) {
    try {
      return deferred.get();
    } catch (RuntimeException e) {
      throw CallFailedException.permanent(
          "the local provider could not load the "
              + what
              + " of "
              + modelInfo.modelId()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A failure as the pipeline expects it: classified, or the cancellation of a call nobody waits
   * for.
   */
  private RuntimeException classify(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CallFailedException || t instanceof CancellationException) {
      return (RuntimeException) t;
    }
    if (t instanceof RejectedExecutionException) {
      return closedFailure();
    }
    return CallFailedException.permanent(
        "the local provider (" + modelInfo.modelId() + ") failed: " + t, t);
  }

  private CallFailedException closedFailure() {
    return CallFailedException.permanent(
        "the local provider (" + modelInfo.modelId() + ") is closed", null);
  }

  /**
   * Stops taking calls, waits up to 30 s for the micro-batches already running, then frees the
   * native session. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    runExecutor.shutdown();
    try {
      if (!runExecutor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn(
            "{}: micro-batches still running after {} s; leaving the native session to the OS",
            modelInfo.modelId(),
            CLOSE_WAIT_SECONDS);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn(
          "{}: interrupted while closing; leaving the native session to the OS",
          modelInfo.modelId());
      return;
    }
    model.ifMade().ifPresent(OnnxModel::close); // a session no call needed was never created
  }

  @Override
  public String toString() {
    return "LocalEmbeddingProvider["
        + modelInfo.modelId()
        + ", "
        + modelInfo.dimensions()
        + " dims, "
        + runExecutor.getCorePoolSize()
        + " concurrent runs, budget "
        + modelInfo.microBatchTokenBudget()
        + (closed.get() ? ", closed" : "")
        + "]";
  }

  /**
   * Whether the native session has been released, for tests.
   *
   * @return true after a completed {@link #close()}
   */
  boolean isClosed() {
    return closed.get() && runExecutor.isTerminated();
  }

  /** Micro-batches handed to the session so far, for tests. */
  long microBatchesRun() {
    return microBatchesRun.sum();
  }

  /**
   * Whether the session has been created, for tests.
   *
   * @return true once a micro-batch (or {@link #model()}) loaded it
   */
  boolean sessionLoaded() {
    return model.ifMade().isPresent();
  }

  /**
   * Whether this provider has loaded its tokenizer, for tests.
   *
   * @return true once a call (or {@link #rawTokenizer()}) needed it
   */
  boolean tokenizerLoaded() {
    return tokenizer.ifMade().isPresent();
  }

  /** The tokenizer itself, without the registry's count cache, for tests. */
  HfTokenizer rawTokenizer() {
    return tokenizer.get();
  }

  /** The session, loaded if no call loaded it yet, for tests that feed token ids directly. */
  OnnxModel model() {
    return model.get();
  }
}

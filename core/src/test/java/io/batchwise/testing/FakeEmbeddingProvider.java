package io.batchwise.testing;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A deterministic in-memory provider for tests: each text's vector is derived from its bytes, every
 * call is recorded, and calls containing a chosen text fail (permanently or a set number of times).
 */
public final class FakeEmbeddingProvider implements EmbeddingProvider {
  private final ModelInfo model;
  private final BatchStrategy strategy;
  private final LimitPolicy limitPolicy;

  /**
   * What the pipeline asked of this provider, each kind once, in the order it first asked: {@code
   * prepare} ({@link #prepare()}), {@code count} (a token count of its tokenizer), {@code call} (a
   * call). Once only, so that a long stream does not keep a record per text.
   */
  public final Set<String> events = Collections.synchronizedSet(new LinkedHashSet<>());

  private volatile boolean prepareThrows;

  private final Tokenizer tokenizer =
      new WhitespaceTokenizer() {
        @Override
        public int count(String text) {
          events.add("count");
          return super.count(text);
        }
      };

  /** Every call's texts, in the order calls arrived. */
  public final Queue<List<String>> calls = new ConcurrentLinkedQueue<>();

  /**
   * Every call's input type, in the order calls arrived (only the type: a context holds on to its
   * call's batch, and a long stream must not keep every batch alive).
   */
  public final Queue<InputType> inputTypes = new ConcurrentLinkedQueue<>();

  private volatile Predicate<List<String>> failPermanently = texts -> false;
  private volatile Predicate<List<String>> failTransiently = texts -> false;
  private final AtomicInteger transientFailuresLeft = new AtomicInteger();

  /** Whether {@link #close()} ran. */
  public volatile boolean closed;

  private volatile boolean holdAnswers;
  private final CompletableFuture<Void> answersReleased = new CompletableFuture<>();

  /**
   * A call held by {@link #holdEachCall()}: its texts, its context and the future this provider
   * returned.
   *
   * @param texts the call's texts
   * @param context the call's context
   * @param future the future returned for it
   * @param counted whether it still counts as in flight
   */
  public record HeldCall(
      List<String> texts,
      CallContext context,
      CompletableFuture<List<float[]>> future,
      AtomicBoolean counted) {}

  /** Every call held by {@link #holdEachCall()}, in the order they arrived. */
  public final Queue<HeldCall> held = new ConcurrentLinkedQueue<>();

  private volatile boolean holdEach;
  private volatile boolean synchronous;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile LongSupplier clock;

  /** When each call arrived, by the clock given to {@link #recordCallTimes}. */
  public final Queue<Long> callTimes = new ConcurrentLinkedQueue<>();

  /**
   * A provider with the given model and strategy.
   *
   * @param model the model info
   * @param strategy the strategy
   * @param limitPolicy the default limit policy
   */
  public FakeEmbeddingProvider(ModelInfo model, BatchStrategy strategy, LimitPolicy limitPolicy) {
    this.model = model;
    this.strategy = strategy;
    this.limitPolicy = limitPolicy;
  }

  /**
   * A remote-API-like provider: 8 dims, 16 inputs and 64 tokens per call, 16 tokens per input.
   *
   * @return the provider
   */
  public static FakeEmbeddingProvider small() {
    return new FakeEmbeddingProvider(
        new ModelInfo("fake-model", 8, true, 16, 16, 64, ModelInfo.NO_LIMIT),
        BatchStrategy.SINGLE_CALL,
        LimitPolicy.FAIL);
  }

  /**
   * Calls containing a text that matches fail permanently.
   *
   * @param matcher which texts poison a call
   * @return this
   */
  public FakeEmbeddingProvider failCallsContaining(Predicate<String> matcher) {
    this.failPermanently = texts -> texts.stream().anyMatch(matcher);
    return this;
  }

  /**
   * The next {@code times} calls containing a matching text fail retryably.
   *
   * @param matcher which texts make a call fail
   * @param times how many failures
   * @return this
   */
  public FakeEmbeddingProvider failTransiently(Predicate<String> matcher, int times) {
    this.transientFailuresLeft.set(times);
    this.failTransiently = texts -> texts.stream().anyMatch(matcher);
    return this;
  }

  /**
   * The vector this provider gives {@code text}: deterministic, unit length.
   *
   * @param text the text
   * @param dims the dimensions
   * @return the vector
   */
  public static float[] vectorOf(String text, int dims) {
    float[] v = new float[dims];
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    long h = 1125899906842597L;
    for (byte x : b) {
      h = 31 * h + x;
    }
    Random r = new Random(h);
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) r.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dims; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Override
  public String id() {
    return "fake";
  }

  @Override
  public ModelInfo modelInfo() {
    return model;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public BatchStrategy batchStrategy() {
    return strategy;
  }

  @Override
  public LimitPolicy defaultLimitPolicy() {
    return limitPolicy;
  }

  /**
   * From now on every call stays unanswered until the test completes its future ({@link #held},
   * {@link #answerOldest()}); the calls in flight are counted.
   *
   * @return this provider
   */
  public FakeEmbeddingProvider holdEachCall() {
    holdEach = true;
    return this;
  }

  /**
   * From now on every call is answered before {@code embed} returns, on the caller's thread.
   *
   * @return this provider
   */
  public FakeEmbeddingProvider answerSynchronously() {
    synchronous = true;
    return this;
  }

  /**
   * Records when each call arrives.
   *
   * @param clock the clock to read, e.g. a test's manual time
   * @return this provider
   */
  public FakeEmbeddingProvider recordCallTimes(LongSupplier clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Answers the oldest held call that is still unanswered with its texts' vectors.
   *
   * @return false when none is left
   */
  public boolean answerOldest() {
    for (HeldCall c : held) {
      if (!c.future().isDone()) {
        List<float[]> out = new ArrayList<>();
        for (String t : c.texts()) {
          out.add(vectorOf(t, model.dimensions()));
        }
        // no longer in flight before the answer lets the caller start its next call
        leave(c);
        c.future().complete(out);
        return true;
      }
    }
    return false;
  }

  private void leave(HeldCall c) {
    if (c.counted().compareAndSet(true, false)) {
      inFlight.decrementAndGet();
    }
  }

  /**
   * @return the calls whose future is not complete, when calls are held
   */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * @return the most calls held at once since this provider was made
   */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Records the call; a context already cancelled fails it with a {@link CancellationException},
   * and otherwise it is answered as this provider is set up to (held, failed, answered early and
   * held, or at once).
   */
  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    CompletableFuture<List<float[]>> answer = answer(texts, context);
    if (!holdAnswers) {
      return answer;
    }
    context.answered();
    return answersReleased.thenCompose(released -> answer);
  }

  /**
   * From now on {@link #prepare()} throws (after recording it), as a misbehaving provider's might.
   *
   * @return this provider
   */
  public FakeEmbeddingProvider throwOnPrepare() {
    prepareThrows = true;
    return this;
  }

  /** Records {@code prepare} in {@link #events}; throws if {@link #throwOnPrepare()} was set. */
  @Override
  public void prepare() {
    events.add("prepare");
    if (prepareThrows) {
      throw new IllegalStateException("cannot prepare");
    }
  }

  private CompletableFuture<List<float[]>> answer(List<String> texts, CallContext context) {
    events.add("call");
    calls.add(List.copyOf(texts));
    inputTypes.add(context.inputType());
    if (context.isCancelled()) {
      return CompletableFuture.failedFuture(
          new CancellationException("the call was cancelled before it started"));
    }
    LongSupplier c = clock;
    if (c != null) {
      callTimes.add(c.getAsLong());
    }
    if (holdEach) {
      CompletableFuture<List<float[]>> f = new CompletableFuture<>();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      HeldCall call = new HeldCall(List.copyOf(texts), context, f, new AtomicBoolean(true));
      f.whenComplete((v, e) -> leave(call)); // cancelled or failed by the caller
      held.add(call);
      return f;
    }
    if (failPermanently.test(texts)) {
      return CompletableFuture.failedFuture(
          CallFailedException.permanent("fake provider rejected the call", null));
    }
    if (failTransiently.test(texts) && transientFailuresLeft.getAndDecrement() > 0) {
      return CompletableFuture.failedFuture(
          CallFailedException.retryable(
              "fake provider is briefly unavailable", null, java.time.Duration.ofMillis(1)));
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(vectorOf(t, model.dimensions()));
    }
    return synchronous
        ? CompletableFuture.completedFuture(out)
        : CompletableFuture.supplyAsync(() -> out);
  }

  /**
   * From now on each call reports {@link CallContext#answered()} at once, like a remote service
   * whose answer has arrived, but its future completes only after {@link #releaseAnswers()}.
   *
   * @return this provider
   */
  public FakeEmbeddingProvider answerEarlyAndHold() {
    holdAnswers = true;
    return this;
  }

  /** Completes every call held by {@link #answerEarlyAndHold()}, and later calls at once. */
  public void releaseAnswers() {
    answersReleased.complete(null);
  }

  @Override
  public void close() {
    closed = true;
  }
}

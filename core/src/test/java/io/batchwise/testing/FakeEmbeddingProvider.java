package io.batchwise.testing;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallProgress;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A deterministic in-memory provider for tests: each text's vector is derived from its bytes, every
 * call is recorded, and calls containing a chosen text fail (permanently or a set number of times).
 */
public final class FakeEmbeddingProvider implements EmbeddingProvider {
  private final ModelInfo model;
  private final BatchStrategy strategy;
  private final LimitPolicy limitPolicy;
  private final Tokenizer tokenizer = new WhitespaceTokenizer();
  /** Every call's texts, in the order calls arrived. */
  public final Queue<List<String>> calls = new ConcurrentLinkedQueue<>();
  private volatile Predicate<List<String>> failPermanently = texts -> false;
  private volatile Predicate<List<String>> failTransiently = texts -> false;
  private final AtomicInteger transientFailuresLeft = new AtomicInteger();
  /** Whether {@link #close()} ran. */
  public volatile boolean closed;
  private volatile boolean holdAnswers;
  private final CompletableFuture<Void> answersReleased = new CompletableFuture<>();

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
    return new FakeEmbeddingProvider(new ModelInfo("fake-model", 8, true, 16, 16, 64),
        BatchStrategy.SINGLE_CALL, LimitPolicy.FAIL);
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
    java.util.Random r = new java.util.Random(h);
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

  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts) {
    calls.add(List.copyOf(texts));
    if (failPermanently.test(texts)) {
      return CompletableFuture.failedFuture(CallFailedException.permanent("fake provider rejected the call", null));
    }
    if (failTransiently.test(texts) && transientFailuresLeft.getAndDecrement() > 0) {
      return CompletableFuture.failedFuture(
          CallFailedException.retryable("fake provider is briefly unavailable", null, java.time.Duration.ofMillis(1)));
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(vectorOf(t, model.dimensions()));
    }
    return CompletableFuture.supplyAsync(() -> out);
  }

  /**
   * From now on each call reports {@link CallProgress#answered()} at once, like a remote service whose
   * answer has arrived, but its future completes only after {@link #releaseAnswers()}.
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
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallProgress progress) {
    CompletableFuture<List<float[]>> answer = embed(texts);
    if (!holdAnswers) {
      return answer;
    }
    progress.answered();
    return answersReleased.thenCompose(released -> answer);
  }

  @Override
  public void close() {
    closed = true;
  }
}

package io.batchwise.benchmarks.local;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes every call through to a provider and records what the embed pipeline sent: calls, real
 * tokens and padded token positions (rows × the longest row), for the padding efficiency of the
 * strategy. The counts come from the provider's count-cached tokenizer, which the pipeline has
 * already filled.
 */
final class RecordingProvider implements EmbeddingProvider {
  private final EmbeddingProvider delegate;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong positions = new AtomicLong();

  RecordingProvider(EmbeddingProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public ModelInfo modelInfo() {
    return delegate.modelInfo();
  }

  @Override
  public Tokenizer tokenizer() {
    return delegate.tokenizer();
  }

  @Override
  public BatchStrategy batchStrategy() {
    return delegate.batchStrategy();
  }

  @Override
  public LimitPolicy defaultLimitPolicy() {
    return delegate.defaultLimitPolicy();
  }

  @Override
  public void prepare() {
    delegate.prepare();
  }

  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    int longest = 0;
    long sum = 0;
    for (String t : texts) {
      int n = delegate.tokenizer().count(t);
      longest = Math.max(longest, n);
      sum += n;
    }
    calls.incrementAndGet();
    tokens.addAndGet(sum);
    positions.addAndGet((long) longest * texts.size());
    return delegate.embed(texts, context);
  }

  /** Forgets what was recorded. */
  void reset() {
    calls.set(0);
    tokens.set(0);
    positions.set(0);
  }

  long calls() {
    return calls.get();
  }

  /** Real tokens / padded positions since the last reset, 1 when nothing was sent. */
  double paddingEfficiency() {
    return positions.get() == 0 ? 1 : (double) tokens.get() / positions.get();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

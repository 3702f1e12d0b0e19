package io.batchwise.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two embeds of the same texts at once, through the pipeline and a single-flight cache, pay once. */
class SingleFlightPipelineTest {

  /** Holds its calls until released, and counts the texts it is asked to embed. */
  static final class GatedProvider implements EmbeddingProvider {
    final FakeEmbeddingProvider delegate = new FakeEmbeddingProvider(
        new ModelInfo("gated", 8, true, 64, 64, 4096, ModelInfo.NO_LIMIT), BatchStrategy.SINGLE_CALL, LimitPolicy.FAIL);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger textsEmbedded = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    /** Its own thread: a call held here must not starve the common pool the test's pause runs on. */
    final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gated-provider");
      t.setDaemon(true);
      return t;
    });

    @Override
    public String id() {
      return "gated";
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
      return BatchStrategy.SINGLE_CALL;
    }

    @Override
    public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
      calls.incrementAndGet();
      textsEmbedded.addAndGet(texts.size());
      return CompletableFuture.supplyAsync(() -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return delegate.embed(texts, context).join();
      }, thread);
    }
  }

  @Test
  @DisplayName("concurrent identical misses are embedded once; the second embed waits for the first")
  void concurrentIdenticalMissesComputeOnce() throws Exception {
    GatedProvider provider = new GatedProvider();
    List<String> texts = List.of("alpha", "beta", "gamma", "delta");
    try (Batchwise bw = Batchwise.builder().provider(provider).cache("caffeine")
        .sources(new Properties(), Map.of()).build()) {
      CompletableFuture<EmbedResult> first = bw.embedder().embedAllAsync(texts);
      io.batchwise.testing.Await.until("the first embed calls the provider", java.time.Duration.ofSeconds(60),
          () -> provider.calls.get() > 0);
      assertThat(provider.calls.get()).isEqualTo(1);
      CompletableFuture<EmbedResult> second = bw.embedder().embedAllAsync(texts);
      // had the second embed missed on its own, it would have called the provider within this pause
      java.util.concurrent.ExecutorService pause = java.util.concurrent.Executors.newSingleThreadExecutor();
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS, pause)).join();
      pause.shutdown();
      assertThat(provider.calls.get()).isEqualTo(1);
      assertThat(second).isNotDone();
      provider.release.countDown();
      EmbedResult a = first.get(60, TimeUnit.SECONDS);
      EmbedResult b = second.get(60, TimeUnit.SECONDS);
      assertThat(a.allSucceeded()).isTrue();
      assertThat(b.allSucceeded()).isTrue();
      assertThat(b.usage().providerCalls()).isZero();
      assertThat(b.embeddings().get(2).vector()).containsExactly(a.embeddings().get(2).vector());
      assertThat(provider.textsEmbedded.get()).isEqualTo(4);
    } finally {
      provider.thread.shutdownNow();
    }
  }
}

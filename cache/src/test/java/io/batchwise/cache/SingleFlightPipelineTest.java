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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two embeds of the same texts at once, through the pipeline and a single-flight cache, pay once.
 */
class SingleFlightPipelineTest {

  /** Holds its calls until released, and counts the texts it is asked to embed. */
  static final class GatedProvider implements EmbeddingProvider {
    final FakeEmbeddingProvider delegate =
        new FakeEmbeddingProvider(
            new ModelInfo("gated", 8, true, 64, 64, 4096, ModelInfo.NO_LIMIT),
            BatchStrategy.SINGLE_CALL,
            LimitPolicy.FAIL);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger textsEmbedded = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    /**
     * Its own thread: a call held here must not starve the common pool the test's pause runs on.
     */
    final ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
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
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return delegate.embed(texts, context).join();
          },
          thread);
    }
  }

  @Test
  @DisplayName(
      "concurrent identical misses are embedded once; the second embed waits for the first")
  void concurrentIdenticalMissesComputeOnce() throws Exception {
    GatedProvider provider = new GatedProvider();
    List<String> texts = List.of("alpha", "beta", "gamma", "delta");
    try (Batchwise bw =
        Batchwise.builder()
            .provider(provider)
            .cache("caffeine")
            .sources(new Properties(), Map.of())
            .build()) {
      CompletableFuture<EmbedResult> first = bw.embedder().embedAllAsync(texts);
      io.batchwise.testing.Await.until(
          "the first embed calls the provider",
          java.time.Duration.ofSeconds(60),
          () -> provider.calls.get() > 0);
      assertThat(provider.calls.get()).isEqualTo(1);
      CompletableFuture<EmbedResult> second = bw.embedder().embedAllAsync(texts);
      // had the second embed missed on its own, it would have called the provider within this pause
      ExecutorService pause = Executors.newSingleThreadExecutor();
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS, pause))
          .join();
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

  @Test
  @DisplayName(
      "when the embed computing a text is cut off by its job timeout, an embed waiting for the same text embeds it itself")
  void aFollowerWhoseLeaderIsCutOffEmbedsTheTextItself() throws Exception {
    GatedProvider provider = new GatedProvider();
    // one single-flight cache shared by two instances: the first gives up after its job timeout,
    // the second has none
    LoadingEmbeddingCache cache = singleFlightCache();
    List<String> texts = List.of("alpha", "beta");
    try (Batchwise leader =
            Batchwise.builder()
                .provider(provider)
                .cache(cache)
                .option("job-timeout", "1s")
                .sources(new Properties(), Map.of())
                .build();
        Batchwise follower =
            Batchwise.builder()
                .provider(provider)
                .cache(cache)
                .sources(new Properties(), Map.of())
                .build()) {
      CompletableFuture<EmbedResult> first = leader.embedder().embedAllAsync(texts);
      io.batchwise.testing.Await.until(
          "the first embed calls the provider",
          java.time.Duration.ofSeconds(60),
          () -> provider.calls.get() > 0);
      CompletableFuture<EmbedResult> second = follower.embedder().embedAllAsync(texts);
      EmbedResult a = first.get(60, TimeUnit.SECONDS);
      assertThat(a.allSucceeded())
          .as("the first embed's job timeout passed while its call was held")
          .isFalse();
      assertThat(a.embeddings().get(0).error()).hasMessageContaining("job timeout");
      // the held call is released only now: the second embed cannot have been answered by it
      provider.release.countDown();
      EmbedResult b = second.get(60, TimeUnit.SECONDS);
      assertThat(b.allSucceeded()).as("every text has its vector: %s", b).isTrue();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(b.embeddings().get(i).vector())
            .containsExactly(
                provider
                    .delegate
                    .embed(
                        List.of(texts.get(i)), CallContext.of(io.batchwise.spi.InputType.DOCUMENT))
                    .join()
                    .get(0));
      }
    } finally {
      provider.thread.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "an embed waiting for a text another embed computes ends at its own job timeout, each text failing with that reason")
  void aFollowerEndsAtItsOwnJobTimeout() throws Exception {
    GatedProvider provider = new GatedProvider();
    LoadingEmbeddingCache cache = singleFlightCache();
    List<String> texts = List.of("alpha", "beta");
    try (Batchwise leader =
            Batchwise.builder()
                .provider(provider)
                .cache(cache)
                .sources(new Properties(), Map.of())
                .build();
        Batchwise follower =
            Batchwise.builder()
                .provider(provider)
                .cache(cache)
                .option("job-timeout", "1s")
                .sources(new Properties(), Map.of())
                .build()) {
      CompletableFuture<EmbedResult> first = leader.embedder().embedAllAsync(texts);
      io.batchwise.testing.Await.until(
          "the first embed calls the provider",
          java.time.Duration.ofSeconds(60),
          () -> provider.calls.get() > 0);
      EmbedResult b = follower.embedder().embedAllAsync(texts).get(60, TimeUnit.SECONDS);
      assertThat(first).as("the leader's call is still held").isNotDone();
      assertThat(b.allSucceeded()).isFalse();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(b.embeddings().get(i).error())
            .as("text %d", i)
            .hasMessageContaining("job timeout");
      }
      provider.release.countDown();
      assertThat(first.get(60, TimeUnit.SECONDS).allSucceeded()).isTrue();
    } finally {
      provider.thread.shutdownNow();
    }
  }

  /** A Caffeine cache, single-flight, for several instances to share. */
  private static LoadingEmbeddingCache singleFlightCache() {
    CaffeineCacheFactory factory = new CaffeineCacheFactory();
    return (LoadingEmbeddingCache)
        factory.create(
            io.batchwise.cache.testing.TestContexts.of(
                factory,
                Map.of("cache.max-entries", "1000"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }
}

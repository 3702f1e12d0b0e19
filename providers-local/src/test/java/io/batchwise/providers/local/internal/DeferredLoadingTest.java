package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.batchwise.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model and its tokenizer load on the first call that needs them: a run answered entirely from
 * the cache loads neither, and still returns the vectors the model made.
 */
class DeferredLoadingTest {

  /**
   * Like the command line: a new instance over the same SQLite file, reading nothing of the
   * machine's.
   */
  private static Batchwise open(Path cacheFile) {
    return Batchwise.builder()
        .provider("local")
        .cache("sqlite")
        .option("cache.path", cacheFile.toString())
        .option("call-timeout", "10m")
        .sources(new Properties(), Map.of())
        .build();
  }

  @Test
  @DisplayName(
      "a rerun answered from the disk cache creates no ONNX session and loads no tokenizer")
  void aFullyCachedRerunLoadsNoModel(@TempDir Path dir) {
    Path cacheFile = dir.resolve("vectors.db");
    List<String> texts = LocalTestSupport.fixtures().subList(0, 20);
    EmbedResult first;
    try (Batchwise bw = open(cacheFile)) {
      first = bw.embedder().embedAll(texts);
      assertThat(provider(bw).sessionLoaded()).as("the first run embeds").isTrue();
    }

    try (Batchwise bw = open(cacheFile)) {
      EmbedResult again = bw.embedder().embedAll(texts);
      assertThat(again.usage().cacheHits()).isEqualTo(texts.size());
      assertThat(again.usage().providerCalls()).isZero();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(again.vectors().get(i)).as("text %d", i).containsExactly(first.vectors().get(i));
      }
      LocalEmbeddingProvider provider = provider(bw);
      assertThat(provider.sessionLoaded())
          .as("no session for a run answered from the cache")
          .isFalse();
      assertThat(provider.tokenizerLoaded())
          .as("nothing counted, so no tokenizer loaded")
          .isFalse();

      // a text the cache does not hold loads both, and is embedded as a fresh provider would
      String fresh = "a sentence no earlier run embedded";
      float[] vector = bw.embedder().embedAll(List.of(fresh)).vectors().get(0);
      assertThat(provider.sessionLoaded()).isTrue();
      assertThat(provider.tokenizerLoaded()).isTrue();
      assertThat(vector)
          .containsExactly(LocalTestSupport.embedOne(LocalTestSupport.shared(), fresh));
    }
  }

  @Test
  @DisplayName("the model info and the identity come from the metadata, before anything loads")
  void metadataNeedsNoSession() {
    try (LocalEmbeddingProvider provider = LocalTestSupport.create(Map.of())) {
      assertThat(provider.modelInfo().dimensions()).isEqualTo(384);
      assertThat(provider.modelInfo().maxTokensPerInput()).isEqualTo(256);
      assertThat(provider.identity()).isEqualTo(LocalTestSupport.shared().identity());
      assertThat(provider.tokenizer().name()).isEqualTo("all-minilm-l6-v2");
      assertThat(provider.sessionLoaded()).isFalse();
      assertThat(provider.tokenizerLoaded()).isFalse();
    }
  }

  @Test
  @DisplayName(
      "prepare() creates the session on a session thread without a call, and loads no tokenizer")
  void prepareStartsTheSessionAlone() throws Exception {
    try (LocalEmbeddingProvider provider = LocalTestSupport.create(Map.of())) {
      provider.prepare();
      provider.prepare(); // once is enough: no second session
      Await.until(
          "the session, made by prepare() alone", Duration.ofMinutes(2), provider::sessionLoaded);
      assertThat(provider.tokenizerLoaded()).as("only counting loads the tokenizer").isFalse();
      assertThat(provider.microBatchesRun()).isZero();
      OnnxModel session = provider.model();
      String text = "prepared before its first call";
      assertThat(LocalTestSupport.embedOne(provider, text))
          .containsExactly(LocalTestSupport.embedOne(LocalTestSupport.shared(), text));
      assertThat(provider.model()).as("the call used the prepared session").isSameAs(session);
    }
  }

  @Test
  @DisplayName("prepare() on a closed provider creates nothing")
  void prepareAfterCloseCreatesNothing() {
    LocalEmbeddingProvider provider = LocalTestSupport.create(Map.of());
    provider.close();
    provider.prepare(); // neither throws nor queues: the session threads are gone
    assertThat(provider.sessionLoaded()).isFalse();
    assertThat(provider.isClosed()).isTrue();
  }

  @Test
  @DisplayName("callers that ask while the value is being made wait for it: one make between them")
  void concurrentFirstCallersShareOneMake() throws Exception {
    AtomicInteger makes = new AtomicInteger();
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Deferred<Object> deferred =
        new Deferred<>(
            () -> {
              makes.incrementAndGet();
              making.countDown();
              await(release);
              return new Object();
            });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object>> got = new ArrayList<>();
      got.add(pool.submit(deferred::get));
      await(making); // the first caller is making it; the others arrive now
      for (int i = 0; i < 3; i++) {
        got.add(pool.submit(deferred::get));
      }
      assertThat(deferred.ifMade()).isEmpty();
      release.countDown();
      Object first = got.get(0).get();
      for (Future<Object> f : got) {
        assertThat(f.get()).isSameAs(first);
      }
      assertThat(makes).hasValue(1);
      assertThat(deferred.ifMade()).containsSame(first);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("two first calls at once on a provider share its session")
  void concurrentFirstCallsShareOneSession() {
    try (LocalEmbeddingProvider provider =
        LocalTestSupport.create(Map.of("local.concurrent-runs", "4"))) {
      List<String> texts = LocalTestSupport.fixtures().subList(0, 16);
      var calls =
          List.of(
              provider.embed(texts, CallContext.of(InputType.DOCUMENT)),
              provider.embed(texts, CallContext.of(InputType.DOCUMENT)));
      List<float[]> a = calls.get(0).join();
      List<float[]> b = calls.get(1).join();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(a.get(i)).containsExactly(b.get(i));
        assertThat(a.get(i))
            .containsExactly(LocalTestSupport.embedOne(LocalTestSupport.shared(), texts.get(i)));
      }
      assertThat(provider.model()).isSameAs(provider.model());
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName(
      "a model that fails to load fails every call for good, naming the model, and loads once")
  void aLoadFailureIsKeptAndNamed() {
    AtomicInteger attempts = new AtomicInteger();
    Deferred<String> broken =
        new Deferred<>(
            () -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("the file is damaged");
            });
    assertThatThrownBy(broken::get).hasMessage("the file is damaged");
    assertThatThrownBy(broken::get).hasMessage("the file is damaged");
    assertThat(attempts).hasValue(1);
    assertThat(broken.ifMade()).isEmpty();
  }

  @Test
  @DisplayName(
      "closing a provider whose session was never created frees nothing and creates nothing")
  void closingBeforeAnyCallCreatesNoSession() {
    LocalEmbeddingProvider provider = LocalTestSupport.create(Map.of());
    provider.close();
    assertThat(provider.isClosed()).isTrue();
    assertThat(provider.sessionLoaded()).isFalse();
    assertThatThrownBy(
            () -> provider.embed(List.of("after close"), CallContext.of(InputType.DOCUMENT)).join())
        .cause()
        .isInstanceOf(CallFailedException.class)
        .hasMessageContaining("is closed");
  }

  private static LocalEmbeddingProvider provider(Batchwise bw) {
    return (LocalEmbeddingProvider) bw.provider();
  }
}

package io.batchwise.examples.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.spi.CacheKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Batchwise.close()} finishes what it promised: it closes the scheduler first (letting calls
 * in flight finish and be stored, in close mode {@code finish}), then the provider, then the cache
 * — though the provider was created after the scheduler and the cache. The openai provider against
 * a loopback server, and a SQLite cache file.
 */
class BatchwiseCloseTest {
  /** Bounds a broken run; the waits below end on signals, not on this. */
  private static final long TIMEOUT_SECONDS = 30;

  @TempDir Path dir;

  private EmbeddingsServer server;

  @BeforeEach
  void start() throws Exception {
    server = new EmbeddingsServer(1);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Batchwise open(String closeMode) {
    return builder(closeMode).build();
  }

  private Batchwise.Builder builder(String closeMode) {
    return Batchwise.builder()
        .provider("openai")
        .cache("sqlite")
        .options(
            Map.of(
                "openai.base-url",
                server.baseUrl(),
                "openai.model",
                "m",
                "openai.dimensions",
                "8",
                "openai.send-dimensions",
                "always",
                "cache.path",
                dir.resolve("cache.db").toString(),
                "scheduler.close-mode",
                closeMode))
        .sources(new Properties(), Map.of());
  }

  @Test
  @DisplayName(
      "finish: an embed in flight when close() is called succeeds, and its vector is in the SQLite file")
  void finishLetsTheCallInFlightCompleteAndStoresItsVector() throws Exception {
    server.answerDelayMillis = 1_000;
    server.arrived = new CountDownLatch(1);
    CompletableFuture<EmbedResult> embed;
    try (Batchwise bw = open("finish")) {
      embed = bw.embedder().embedAllAsync(List.of("in flight"));
      assertThat(server.arrived.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("the request reached the server")
          .isTrue();
    } // close() while the server holds its answer for a second
    EmbedResult result = embed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.embeddings().get(0).vector())
        .containsExactly(server.vectorOf("m", 8, "in flight"));

    server.answerDelayMillis = 0;
    try (Batchwise again = open("finish")) {
      CacheKey key = CacheKey.of(again.embedder().identity().namespace(), "in flight");
      assertThat(again.cache().getAll(List.of(key)).get(key))
          .as("stored before the cache closed")
          .containsExactly(server.vectorOf("m", 8, "in flight"));
      assertThat(again.embedder().embedAll(List.of("in flight")).embeddings().get(0).cacheHit())
          .isTrue();
    }
    assertThat(server.inputs).containsExactly("in flight");
  }

  @Test
  @DisplayName(
      "cancel: close() cancels the call in flight; every unfinished input says it was cancelled")
  void cancelGivesEachUnfinishedInputACancelledStatus() throws Exception {
    server.answerDelayMillis =
        TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS); // answers only after the test
    server.arrived = new CountDownLatch(1);
    CompletableFuture<EmbedResult> embed;
    try (Batchwise bw = open("cancel")) {
      embed = bw.embedder().embedAllAsync(List.of("first", "second"));
      assertThat(server.arrived.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(embed).as("close() returns once the embed has settled").isDone();
    EmbedResult result = embed.get();
    assertThat(result.embeddings()).hasSize(2).noneMatch(Embedding::succeeded);
    for (Embedding e : result.embeddings()) {
      assertThat(e.error())
          .hasMessageContaining("input " + e.index())
          .cause()
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("closed");
    }
    try (Batchwise again = open("cancel")) {
      CacheKey key = CacheKey.of(again.embedder().identity().namespace(), "first");
      assertThat(again.cache().getAll(List.of(key))).isEmpty();
    }
  }

  /**
   * Starts an embed of {@code text} on an instance that uses another instance's scheduler (so
   * closing it does not close the scheduler), waits until the server holds the request, and closes
   * the instance.
   *
   * @return the embed, and how long close() took
   */
  private Map.Entry<CompletableFuture<EmbedResult>, Duration> closeWithAnEmbedInFlight(
      Batchwise.Builder builder, Batchwise owner, String text) throws InterruptedException {
    server.answerDelayMillis =
        TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS); // answers only after the test
    server.arrived = new CountDownLatch(1);
    Batchwise bw = builder.scheduler(owner.scheduler()).build();
    CompletableFuture<EmbedResult> embed = bw.embedder().embedAllAsync(List.of(text));
    assertThat(server.arrived.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("the request reached the server")
        .isTrue();
    long start = System.nanoTime();
    bw.close();
    return Map.entry(embed, Duration.ofNanos(System.nanoTime() - start));
  }

  @Test
  @DisplayName(
      "finish on a scheduler it does not own: close() waits scheduler.close-timeout for the embed in flight,"
          + " then cancels it; the input's status names the timeout")
  void theCloseTimeoutBoundsTheWaitForEmbedsThenCancelsThem() throws Exception {
    try (Batchwise owner = Batchwise.builder().sources(new Properties(), Map.of()).build()) {
      var closed =
          closeWithAnEmbedInFlight(
              builder("finish").option("scheduler.close-timeout", "200ms"),
              owner,
              "never answered");
      assertThat(closed.getKey()).as("close() returns once the embed has settled").isDone();
      // the timeout counts from the start of close(); the upper bound only catches a wait for
      // something else
      assertThat(closed.getValue())
          .isGreaterThanOrEqualTo(Duration.ofMillis(200))
          .isLessThan(Duration.ofSeconds(TIMEOUT_SECONDS));
      Embedding e = closed.getKey().get().embeddings().get(0);
      assertThat(e.succeeded()).isFalse();
      assertThat(e.error())
          .hasMessageContaining("input 0")
          .cause()
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining(
              "the Batchwise instance was closed and its close timeout (scheduler.close-timeout"
                  + " PT0.2S) elapsed before this input got its vector");
      // the owner's scheduler stays open: it runs a job
      assertThat(
              owner
                  .scheduler()
                  .<String, String>submit(
                      List.of("a"),
                      batch -> CompletableFuture.completedFuture(List.of("done")),
                      JobOptions.defaults())
                  .completion()
                  .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                  .outputs())
          .containsExactly("done");
    }
  }

  @Test
  @DisplayName("cancel on a scheduler it does not own: close() cancels the embed in flight at once")
  void cancelModeCancelsEmbedsOnASchedulerItDoesNotOwn() throws Exception {
    try (Batchwise owner = Batchwise.builder().sources(new Properties(), Map.of()).build()) {
      var closed = closeWithAnEmbedInFlight(builder("cancel"), owner, "cancelled at once");
      assertThat(closed.getKey()).isDone();
      assertThat(closed.getKey().get().embeddings().get(0).error())
          .cause()
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("the Batchwise instance was closed (scheduler.close-mode cancel)");
    }
  }

  @Test
  @DisplayName("an embed started after close() fails at once, saying the instance is closed")
  void anEmbedAfterCloseFails() {
    Batchwise bw = open("finish");
    var embedder = bw.embedder();
    bw.close();
    assertThat(embedder.embedAllAsync(List.of("late")))
        .failsWithin(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .extracting(Throwable::getCause, InstanceOfAssertFactories.THROWABLE)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}

package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.internal.embed.EmbedPipeline;
import io.batchwise.internal.embed.EmbedSettings;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The embed pipeline under one instance's {@link CallLimits}, as the wiring builds them, with the
 * scheduler's work on the test's thread and a manual clock: concurrency counted as the calls the
 * provider is working on, per-minute limits as starts per minute of injected time, the job timeout,
 * and cancellation reaching the provider's own future.
 */
class EmbedLimitsTest extends ManualScheduler {
  private static final long MINUTE = RateWindow.WINDOW_NANOS;

  /** One text per call, so calls can be counted as texts. */
  private static final ModelInfo ONE_PER_CALL =
      new ModelInfo("fake-model", 8, true, 1, 16, 16, ModelInfo.NO_LIMIT);

  private final FakeEmbeddingProvider provider =
      new FakeEmbeddingProvider(ONE_PER_CALL, BatchStrategy.SINGLE_CALL, LimitPolicy.FAIL);

  private static EmbedSettings settings(
      int concurrency,
      int rpm,
      long tpm,
      Duration callTimeout,
      int attempts,
      Optional<Duration> jobTimeout) {
    RetryPolicy retry =
        new RetryPolicy(attempts, Duration.ofMillis(100), Duration.ofMillis(100), 1, 0);
    return new EmbedSettings(
        ONE_PER_CALL,
        LimitPolicy.FAIL,
        1 << 20,
        concurrency,
        callTimeout,
        retry,
        rpm,
        tpm,
        4096,
        jobTimeout,
        Duration.ZERO);
  }

  private static EmbedSettings settings(int concurrency, int rpm, long tpm) {
    return settings(concurrency, rpm, tpm, Duration.ofSeconds(30), 1, Optional.empty());
  }

  /** The pipeline with limits built as CoreModule builds them, on the manual clock. */
  private EmbedPipeline pipeline(EmbedSettings settings) {
    CallLimits limits =
        new CallLimits(
            new CallPermits(settings.concurrency()),
            new PerMinutePacer(
                settings.requestsPerMinute(),
                settings.tokensPerMinute(),
                provider.pacer(),
                time::nanoTime));
    return new EmbedPipeline(
        provider,
        provider.tokenizer(),
        settings,
        EmbeddingCache.none(),
        scheduler,
        limits,
        registry,
        io.micrometer.observation.ObservationRegistry.NOOP,
        Runnable::run,
        Runnable::run);
  }

  private static List<String> texts(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + " " + i).toList();
  }

  private static void assertVectors(List<String> texts, EmbedResult result) {
    assertThat(result.allSucceeded()).as("failures: %s", result.failures()).isTrue();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(result.vectors().get(i))
          .containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
    }
  }

  @Test
  @DisplayName(
      "four parallel embeds at concurrency 4 keep 4 provider calls in flight in all, not 16")
  void concurrencyAcrossEmbeds() {
    provider.holdEachCall();
    EmbedPipeline embedder = pipeline(settings(4, 0, 0));
    List<List<String>> inputs = new ArrayList<>();
    List<CompletableFuture<EmbedResult>> results = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      inputs.add(texts("embed" + e, 8));
      results.add(embedder.embedAllAsync(inputs.get(e)));
    }
    assertThat(provider.inFlight()).as("calls the provider is working on").isEqualTo(4);
    while (provider.answerOldest()) {
      assertThat(provider.inFlight()).isLessThanOrEqualTo(4);
    }
    assertThat(provider.maxInFlight()).isEqualTo(4);
    assertThat(provider.calls).hasSize(32);
    for (int e = 0; e < 4; e++) {
      assertVectors(inputs.get(e), results.get(e).join());
    }
  }

  @Test
  @DisplayName(
      "requests per minute hold across embeds: no minute of injected time sees more calls than the limit")
  void requestsPerMinuteAcrossEmbeds() {
    provider.answerSynchronously().recordCallTimes(time::nanoTime);
    EmbedPipeline embedder = pipeline(settings(16, 3, 0));
    List<String> first = texts("first", 4);
    List<String> second = texts("second", 4);
    CompletableFuture<EmbedResult> a = embedder.embedAllAsync(first);
    CompletableFuture<EmbedResult> b = embedder.embedAllAsync(second);
    assertThat(provider.calls).as("the first minute").hasSize(3);
    time.advance(Duration.ofMinutes(1));
    assertThat(provider.calls).as("the second minute").hasSize(6);
    time.advance(Duration.ofMinutes(1));
    assertVectors(first, a.join());
    assertVectors(second, b.join());
    assertThat(provider.calls).hasSize(8);
    assertAtMostPerMinute(new ArrayList<>(provider.callTimes), 3);
  }

  @Test
  @DisplayName(
      "tokens per minute hold across embeds: no minute of injected time sees more tokens sent than the limit")
  void tokensPerMinuteAcrossEmbeds() {
    provider.answerSynchronously().recordCallTimes(time::nanoTime);
    EmbedPipeline embedder = pipeline(settings(16, 0, 10));
    // four words each: two calls fit in a minute's 10 tokens
    List<String> first = List.of("a b c d", "e f g h", "i j k l");
    List<String> second = List.of("m n o p", "q r s t", "u v w x");
    CompletableFuture<EmbedResult> a = embedder.embedAllAsync(first);
    CompletableFuture<EmbedResult> b = embedder.embedAllAsync(second);
    assertThat(provider.calls).as("the first minute").hasSize(2);
    time.advance(Duration.ofMinutes(3));
    assertVectors(first, a.join());
    assertVectors(second, b.join());
    List<Long> times = new ArrayList<>(provider.callTimes);
    assertThat(times).hasSize(6);
    assertAtMostPerMinute(times, 2); // each call carries 4 tokens: 2 calls are 8 of the 10
  }

  /** Every minute that starts at a call's arrival holds at most {@code max} arrivals. */
  private static void assertAtMostPerMinute(List<Long> times, int max) {
    for (long from : times) {
      long inWindow = times.stream().filter(t -> t >= from && t < from + MINUTE).count();
      assertThat(inWindow).as("calls in the minute from %d", from).isLessThanOrEqualTo(max);
    }
  }

  @Test
  @DisplayName(
      "job timeout: the inputs not embedded in time fail saying so, the calls in flight are cancelled at the provider, and the embed returns")
  void jobTimeout() {
    provider.holdEachCall();
    EmbedPipeline embedder =
        pipeline(settings(2, 0, 0, Duration.ofSeconds(30), 1, Optional.of(Duration.ofSeconds(2))));
    List<String> texts = texts("t", 6);
    CompletableFuture<EmbedResult> pending = embedder.embedAllAsync(texts);
    provider.answerOldest();
    assertThat(provider.held).hasSize(3);
    time.advance(Duration.ofSeconds(2));

    EmbedResult result = pending.join();
    assertThat(result.embeddings().get(0).succeeded()).isTrue();
    for (int i = 1; i < 3; i++) {
      Embedding e = result.embeddings().get(i);
      assertThat(e.error())
          .as("input %d", i)
          .hasMessage("input " + i + ": job timeout of 2s passed before it finished")
          .hasCauseInstanceOf(TimeoutException.class);
    }
    for (int i = 3; i < 6; i++) {
      assertThat(result.embeddings().get(i).error())
          .as("input %d", i)
          .hasMessage("input " + i + ": job timeout of 2s passed before it was sent");
    }
    assertThat(new ArrayList<>(provider.held).subList(1, 3))
        .allSatisfy(c -> assertThat(c.future()).isCancelled());
    assertThat(provider.calls).as("nothing is sent after the timeout").hasSize(3);
    assertThat(result.usage().failed()).isEqualTo(5);
  }

  @Test
  @DisplayName("a call timeout cancels the provider's own future, not only the scheduler's")
  void callTimeoutCancelsTheProviderCall() {
    provider.holdEachCall();
    EmbedPipeline embedder =
        pipeline(settings(2, 0, 0, Duration.ofSeconds(5), 2, Optional.empty()));
    CompletableFuture<EmbedResult> pending = embedder.embedAllAsync(List.of("slow"));
    time.advance(Duration.ofSeconds(5));
    assertThat(provider.held.peek().future()).as("the first attempt's provider call").isCancelled();
    time.advance(Duration.ofMillis(100)); // the retry's backoff
    assertThat(provider.held).hasSize(2);
    provider.answerOldest();
    assertVectors(List.of("slow"), pending.join());
  }

  @Test
  @DisplayName(
      "cancelling an embed's future cancels its job and the provider calls in flight; nothing more is sent")
  void cancellingTheEmbedCancelsTheProviderCalls() {
    provider.holdEachCall();
    EmbedPipeline embedder = pipeline(settings(2, 0, 0));
    CompletableFuture<EmbedResult> pending = embedder.embedAllAsync(texts("t", 6));
    assertThat(provider.held).hasSize(2);
    pending.cancel(true);
    assertThat(provider.held).allSatisfy(c -> assertThat(c.future()).isCancelled());
    assertThat(provider.calls).hasSize(2);
    assertThat(provider.inFlight()).isZero();
  }
}

package io.batchwise.providers.openai;

import static io.batchwise.providers.openai.MapperTestSupport.INSTRUCTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.config.Config;
import io.batchwise.map.MapResult;
import io.batchwise.map.Mapper;
import io.batchwise.map.MapperContext;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mapper's calls under the instance's limits: tokens-per-minute reservations count the prompt
 * and the predicted answers, and are corrected by the usage the server reports; concurrency holds
 * across runs; a secret never reaches a message.
 */
@Timeout(60)
class MapperLimitsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  /** A pacer that records each reservation's tokens and never waits. */
  private static final class RecordingPacer implements CallPacer {
    final List<Long> reservations = new CopyOnWriteArrayList<>();

    @Override
    public Duration reserve(long tokens) {
      reservations.add(tokens);
      return Duration.ZERO;
    }
  }

  /** The context {@code bw} would give, with the mapper's limits replaced by a recording pacer. */
  private static MapperContext context(Batchwise bw, RecordingPacer pacer, int permits) {
    return new MapperContext() {
      @Override
      public Config config() {
        return bw.config();
      }

      @Override
      public MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
      }

      @Override
      public TokenizerRegistry tokenizers() {
        return bw.tokenizers();
      }

      @Override
      public Executor cpuExecutor() {
        return ForkJoinPool.commonPool();
      }

      @Override
      public Scheduler scheduler() {
        return bw.scheduler();
      }

      @Override
      public EmbeddingCache cache() {
        return EmbeddingCache.none();
      }

      @Override
      public CallLimits newCallLimits(CallPacer reported) {
        return new CallLimits(new CallPermits(permits), pacer);
      }

      @Override
      public RetryPolicy retryPolicy() {
        return RetryPolicy.DEFAULT;
      }

      @Override
      public Optional<Duration> jobTimeout() {
        return Optional.empty();
      }
    };
  }

  @Test
  @DisplayName(
      "a request reserves its prompt and predicted answers; the next reservation adds what the server used beyond that")
  void tokensPerMinuteCorrectedByUsage() {
    FakeChatServer chat = new FakeChatServer();
    server.setDispatcher(chat);
    RecordingPacer pacer = new RecordingPacer();
    try (Batchwise bw =
            MapperTestSupport.batchwise(
                server.url("/v1").toString(), "openai.chat.answer-tokens", "100");
        Mapper mapper = new OpenAiMapperFactory().create(context(bw, pacer, 1))) {
      MapResult first = mapper.mapAll(List.of("one item"), INSTRUCTION, FakeChatServer.SCHEMA);
      MapResult second = mapper.mapAll(List.of("one item"), INSTRUCTION, FakeChatServer.SCHEMA);
      assertThat(second.allSucceeded()).isTrue();
      long reserved = pacer.reservations.get(0);
      long used = first.usage().promptTokens() + first.usage().completionTokens();
      // the prompt as the server counted it plus 100 predicted answer tokens, and a little for the
      // frames
      assertThat(reserved)
          .isBetween(
              chat.seen().get(0).promptTokens() + 100L, chat.seen().get(0).promptTokens() + 160L);
      assertThat(used).isLessThan(reserved); // the answer was shorter than predicted
      assertThat(pacer.reservations.get(1))
          .as("the same request, less what the first over-reserved")
          .isEqualTo(used);
    }
  }

  @Test
  @DisplayName("concurrency holds across runs that share the mapper")
  void concurrencyAcrossRuns() throws Exception {
    FakeChatServer chat = new FakeChatServer().latencyMillis(30);
    server.setDispatcher(chat);
    try (Batchwise bw =
        MapperTestSupport.batchwise(
            server.url("/v1").toString(),
            "concurrency",
            "2",
            "openai.chat.items-per-request",
            "1")) {
      var a = bw.mapper().mapAllAsync(TestProviders.texts(8, "a"), INSTRUCTION, null);
      var b = bw.mapper().mapAllAsync(TestProviders.texts(8, "b"), INSTRUCTION, null);
      assertThat(a.get().allSucceeded()).isTrue();
      assertThat(b.get().allSucceeded()).isTrue();
    }
    assertThat(chat.maxInFlight())
        .isLessThanOrEqualTo(2 * 2); // a slot is given back once the status arrives
    assertThat(chat.requests()).isEqualTo(16);
  }

  @Test
  @DisplayName(
      "the key never reaches an item's error, even when the server quotes it, nor the mapper's string")
  void secrets() {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
            return new mockwebserver3.MockResponse.Builder()
                .code(401)
                .body(
                    "{\"error\":{\"message\":\"Incorrect API key"
                        + " provided: "
                        + TestProviders.KEY
                        + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
                .build();
          }
        });
    try (Batchwise bw = MapperTestSupport.batchwise(server.url("/v1").toString())) {
      MapResult result = bw.mapper().mapAll(List.of("x"), INSTRUCTION, null);
      String message = result.results().get(0).error().getMessage();
      assertThat(message)
          .contains("HTTP 401")
          .contains("invalid_api_key")
          .doesNotContain(TestProviders.KEY)
          .doesNotContain("SECRETKEY");
      assertThat(bw.mapper().toString()).doesNotContain(TestProviders.KEY);
      assertThat(result.usage().calls()).as("a 401 is not retried").isEqualTo(1);
    }
  }
}

package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a server's retry headers do, against a real server on loopback: {@code retry-after-ms},
 * {@code Retry-After} (seconds or HTTP date), {@code x-should-retry} and the {@code
 * x-ratelimit-reset-*} pacing. A hint of up to {@link CallFailedException#MAX_RETRY_AFTER} is
 * honoured; every other value falls back to the computed backoff, and none breaks or stalls the
 * job. No test here waits for a server's hint: the waits themselves are tested under a manual clock
 * in core ({@code RetryAndTimeoutTest}, {@code BackoffTest}) and here in {@code
 * HeaderRateLimitStateTest}.
 */
class OpenAiRetryHintsTest {
  private static final DateTimeFormatter HTTP = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final ZonedDateTime SERVER_NOW =
      ZonedDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

  @StartStop private final MockWebServer server = new MockWebServer();
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  private static MockResponse status(int code, String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(code)
            .body(
                "{\"error\":{\"message\":\"try later\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private CallFailedException failureFor(MockResponse response) throws Exception {
    server.enqueue(response);
    try (RemoteEmbeddingProvider provider =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      CompletableFuture<List<float[]>> call =
          provider.embed(List.of("a", "b"), CallContext.of(InputType.DOCUMENT));
      ExecutionException e =
          Assertions.assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(CallFailedException.class);
      return (CallFailedException) e.getCause();
    }
  }

  static Stream<Arguments> hints() {
    String date = HTTP.format(SERVER_NOW);
    return Stream.of(
        Arguments.of(
            "retry-after-ms 1500",
            new String[] {"retry-after-ms", "1500"},
            Duration.ofMillis(1500)),
        Arguments.of(
            "retry-after-ms 250.5",
            new String[] {"retry-after-ms", "250.5"},
            Duration.ofNanos(250_500_000)),
        Arguments.of(
            "retry-after-ms 60000 (the clamp)",
            new String[] {"retry-after-ms", "60000"},
            Duration.ofSeconds(60)),
        Arguments.of(
            "retry-after-ms over the clamp", new String[] {"retry-after-ms", "60001"}, null),
        Arguments.of("retry-after-ms negative", new String[] {"retry-after-ms", "-5"}, null),
        Arguments.of(
            "retry-after-ms unreadable, Retry-After read instead",
            new String[] {"retry-after-ms", "soon", "Retry-After", "2"},
            Duration.ofSeconds(2)),
        Arguments.of("Retry-After 7", new String[] {"Retry-After", "7"}, Duration.ofSeconds(7)),
        Arguments.of(
            "Retry-After 0.5", new String[] {"Retry-After", "0.5"}, Duration.ofMillis(500)),
        Arguments.of("Retry-After 0", new String[] {"Retry-After", "0"}, null),
        Arguments.of("Retry-After 60", new String[] {"Retry-After", "60"}, Duration.ofSeconds(60)),
        Arguments.of("Retry-After 61", new String[] {"Retry-After", "61"}, null),
        Arguments.of("Retry-After -1", new String[] {"Retry-After", "-1"}, null),
        Arguments.of("Retry-After 1e3", new String[] {"Retry-After", "1e3"}, null),
        Arguments.of("Retry-After NaN", new String[] {"Retry-After", "NaN"}, null),
        Arguments.of("Retry-After Infinity", new String[] {"Retry-After", "Infinity"}, null),
        Arguments.of("Retry-After 99999h", new String[] {"Retry-After", "99999h"}, null),
        Arguments.of(
            "Retry-After an epoch timestamp", new String[] {"Retry-After", "1893553445"}, null),
        Arguments.of("Retry-After 30 digits", new String[] {"Retry-After", "9".repeat(30)}, null),
        Arguments.of(
            "Retry-After date +30 s",
            new String[] {"Date", date, "Retry-After", HTTP.format(SERVER_NOW.plusSeconds(30))},
            Duration.ofSeconds(30)),
        Arguments.of(
            "Retry-After date +61 s",
            new String[] {"Date", date, "Retry-After", HTTP.format(SERVER_NOW.plusSeconds(61))},
            null),
        Arguments.of(
            "Retry-After date in the past",
            new String[] {"Date", date, "Retry-After", HTTP.format(SERVER_NOW.minusHours(1))},
            null),
        Arguments.of(
            "Retry-After in the year 2500",
            new String[] {"Retry-After", "Fri, 01 Jan 2500 00:00:00 GMT"},
            null),
        Arguments.of(
            "Retry-After date with a Date in year 1",
            new String[] {
              "Date",
              "Mon, 01 Jan 0001 00:00:00 GMT",
              "Retry-After",
              "Fri, 31 Dec 9999 23:59:59 GMT"
            },
            null),
        Arguments.of(
            "Retry-After not a date",
            new String[] {"Retry-After", "Fri, 32 Jan 2030 00:00:00 GMT"},
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hints")
  @DisplayName(
      "a 429's hint is kept when in (0, 60 s], else dropped for the computed backoff; none throws")
  void readsEachHintForm(String name, String[] headers, Duration expected) throws Exception {
    CallFailedException e = failureFor(status(429, headers));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  @DisplayName("x-should-retry: true makes a 400 retryable, with its hint")
  void shouldRetryTrue() throws Exception {
    CallFailedException e =
        failureFor(status(400, "x-should-retry", "true", "retry-after-ms", "20"));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofMillis(20));
    assertThat(e.getMessage()).contains("HTTP 400").contains("x-should-retry: true");
  }

  @Test
  @DisplayName("x-should-retry: false makes a 503 and a 429 final")
  void shouldRetryFalse() throws Exception {
    for (int code : new int[] {503, 429}) {
      CallFailedException e =
          failureFor(status(code, "x-should-retry", "false", "Retry-After", "1"));
      assertThat(e.isRetryable()).as("HTTP %d", code).isFalse();
      assertThat(e.retryAfter()).isEmpty();
      assertThat(e.getMessage()).contains("HTTP " + code).contains("x-should-retry: false");
    }
  }

  @Test
  @DisplayName("x-should-retry with another value changes nothing")
  void shouldRetryOther() throws Exception {
    assertThat(failureFor(status(503, "x-should-retry", "maybe")).isRetryable()).isTrue();
    assertThat(failureFor(status(400, "x-should-retry", "1")).isRetryable()).isFalse();
  }

  // ---- through the real pipeline and scheduler -----------------------------------------------

  private Batchwise batchwise(String... options) {
    return TestProviders.batchwise(server.url("/v1").toString(), options);
  }

  @Test
  @DisplayName(
      "a 429 asking to wait until the year 2500 is retried after the computed backoff; the job succeeds")
  void year2500DoesNotCancelTheJob() throws Exception {
    server.setDispatcher(
        new ScriptedDispatcher(fake, status(429, "Retry-After", "Fri, 01 Jan 2500 00:00:00 GMT")));
    List<String> texts = TestProviders.texts(3, "far future");
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAllAsync(texts).get(30, TimeUnit.SECONDS);
      assertThat(result.allSucceeded()).as("failures: %s", result.failures()).isTrue();
      assertThat(result.usage().retries()).isEqualTo(1);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "x-ratelimit-reset-requests: 99999h with nothing remaining does not hold the next call")
  void absurdResetDoesNotStall() throws Exception {
    server.setDispatcher(
        new ScriptedDispatcher(fake, null) {
          @Override
          MockResponse decorate(int request, MockResponse answer) {
            return request > 0
                ? answer
                : answer
                    .newBuilder()
                    .addHeader("x-ratelimit-limit-requests", "100")
                    .addHeader("x-ratelimit-remaining-requests", "0")
                    .addHeader("x-ratelimit-reset-requests", "99999h")
                    .build();
          }
        });
    List<String> texts = TestProviders.texts(3, "reset");
    try (Batchwise bw = batchwise("max-inputs-per-call", "1", "concurrency", "1")) {
      EmbedResult result = bw.embedder().embedAllAsync(texts).get(30, TimeUnit.SECONDS);
      assertThat(result.allSucceeded()).as("failures: %s", result.failures()).isTrue();
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(bw.provider().pacer().reserve(1)).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  @DisplayName(
      "x-should-retry: true retries a 400 through the scheduler; false keeps a 503 from being retried")
  void shouldRetryThroughTheScheduler() throws Exception {
    server.setDispatcher(new ScriptedDispatcher(fake, status(400, "x-should-retry", "true")));
    List<String> texts = TestProviders.texts(2, "should");
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAllAsync(texts).get(30, TimeUnit.SECONDS);
      assertThat(result.allSucceeded()).as("failures: %s", result.failures()).isTrue();
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
    server.setDispatcher(new ScriptedDispatcher(fake, status(503, "x-should-retry", "false")));
    int before = server.getRequestCount();
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAllAsync(texts).get(30, TimeUnit.SECONDS);
      assertThat(result.failures()).hasSize(2);
      assertThat(server.getRequestCount() - before).as("not retried").isEqualTo(1);
      assertThat(result.usage().retries()).isZero();
    }
  }

  /** Answers the first request with a scripted response (if any), then as the fake server does. */
  private static class ScriptedDispatcher extends mockwebserver3.Dispatcher {
    private final FakeOpenAiServer fake;
    private final AtomicReference<MockResponse> first;
    private final AtomicInteger requests = new AtomicInteger();

    ScriptedDispatcher(FakeOpenAiServer fake, MockResponse first) {
      this.fake = fake;
      this.first = new AtomicReference<>(first);
    }

    MockResponse decorate(int request, MockResponse answer) {
      return answer;
    }

    @Override
    public MockResponse dispatch(mockwebserver3.RecordedRequest request)
        throws InterruptedException {
      int n = requests.getAndIncrement();
      MockResponse scripted = first.getAndSet(null);
      return decorate(n, scripted != null ? scripted : fake.dispatch(request));
    }
  }
}

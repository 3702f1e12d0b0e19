package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How failures are classified for the scheduler, against a real server on loopback. In every case
 * the provider sends exactly one request: it never retries by itself.
 */
class OpenAiFailureClassificationTest {
  private static final List<String> TEXTS = List.of("zero", "one", "two", "three", "four");

  private MockWebServer server;
  private RemoteEmbeddingProvider provider;

  /** Held answers go out only once this opens, at the end of each test. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (provider != null) {
      provider.close();
    }
    server.close();
  }

  private CallFailedException fail(MockResponse response, String... options) {
    server.enqueue(response);
    return failFirstCall(options);
  }

  /** The failure of one call against whatever the server is set up to answer. */
  private CallFailedException failFirstCall(String... options) {
    provider = TestProviders.create(TestProviders.options(server.url("/v1").toString(), options));
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(server.getRequestCount()).as("the provider never retries").isEqualTo(1);
    return e;
  }

  private static CallFailedException failure(CompletableFuture<?> call) {
    ExecutionException e =
        Assertions.assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(CallFailedException.class);
    return (CallFailedException) e.getCause();
  }

  private static MockResponse error(int status, String type, String code, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_" + status)
        .body(
            "{\"error\":{\"message\":\""
                + message
                + "\",\"type\":\""
                + type
                + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"")
                + "}}")
        .build();
  }

  @ParameterizedTest(name = "HTTP {0} is retryable")
  @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
  @DisplayName("classifies 408, 409, 429 and 5xx as retryable, with status, error and request id")
  void retryableStatuses(int status) {
    CallFailedException e =
        fail(error(status, "server_error", "some_code", "The server had an error"));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.isRateLimited()).isEqualTo(status == 429);
    assertThat(e.getMessage())
        .contains("HTTP " + status)
        .contains("type=server_error")
        .contains("code=some_code")
        .contains("The server had an error")
        .contains("x-request-id=req_" + status)
        .contains("5 inputs");
  }

  @ParameterizedTest(name = "HTTP {0} is not retryable")
  @ValueSource(ints = {400, 401, 403, 404, 413, 422})
  @DisplayName("classifies 400, 401, 403, 404, 422 and other 4xx as never retried")
  void permanentStatuses(int status) {
    CallFailedException e = fail(error(status, "invalid_request_error", null, "Nope"));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.isRateLimited()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage())
        .contains("HTTP " + status)
        .contains("Nope")
        .contains("x-request-id=req_" + status);
  }

  @Test
  @DisplayName("passes a 429's Retry-After in seconds and marks it rate limited")
  void retryAfterSeconds() {
    CallFailedException e =
        fail(
            error(429, "requests", "rate_limit_exceeded", "Rate limit reached")
                .newBuilder()
                .addHeader("Retry-After", "7")
                .build());
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  @DisplayName("prefers retry-after-ms, OpenAI's precise hint, over Retry-After")
  void retryAfterMillis() {
    CallFailedException e =
        fail(
            error(429, "tokens", "rate_limit_exceeded", "Rate limit reached")
                .newBuilder()
                .addHeader("Retry-After", "2")
                .addHeader("retry-after-ms", "1500")
                .build());
    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  @DisplayName("reads a Retry-After HTTP date relative to the response's Date header")
  void retryAfterDate() {
    ZonedDateTime date = ZonedDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME;
    CallFailedException e =
        fail(
            error(503, "server_error", null, "Overloaded")
                .newBuilder()
                .addHeader("Date", http.format(date))
                .addHeader("Retry-After", http.format(date.plusSeconds(30)))
                .build());
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.isRateLimited()).isFalse();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("never retries a 429 whose code is insufficient_quota")
  void insufficientQuota() {
    CallFailedException e =
        fail(
            error(
                    429,
                    "insufficient_quota",
                    "insufficient_quota",
                    "You exceeded your current quota, please check your plan and billing details.")
                .newBuilder()
                .addHeader("Retry-After", "1")
                .build());
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("HTTP 429")
        .contains("insufficient_quota")
        .contains("quota");
  }

  @Test
  @DisplayName("surfaces a 400's message with the index of the input the server names")
  void badRequestNamesTheInput() {
    CallFailedException e =
        fail(
            error(
                400,
                "invalid_request_error",
                null,
                "'$.input[3]' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("'$.input[3]' is invalid")
        .contains("the server names input 3 of this call");
  }

  @Test
  @DisplayName("finds the input in the 'index N' wording other servers use")
  void badRequestNamesTheInputInWords() {
    CallFailedException e =
        fail(
            error(
                400,
                "BadRequestError",
                null,
                "Input at index 2 exceeds the maximum context length"));
    assertThat(e.getMessage()).contains("the server names input 2 of this call");
  }

  @Test
  @DisplayName("names no input when the number in the message is not one of the call's inputs")
  void badRequestWithoutAnInput() {
    CallFailedException e =
        fail(
            error(
                400,
                "invalid_request_error",
                null,
                "This model's maximum context length is 8192 tokens"));
    assertThat(e.getMessage()).doesNotContain("names input");
  }

  @Test
  @DisplayName("quotes a non-JSON error body")
  void nonJsonErrorBody() {
    CallFailedException e =
        fail(new MockResponse.Builder().code(502).body("<html>502 Bad Gateway</html>").build());
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 502").contains("502 Bad Gateway");
  }

  @Test
  @DisplayName("reports a redirect instead of following it with the key")
  void redirectIsNotFollowed() {
    CallFailedException e =
        fail(
            new MockResponse.Builder()
                .code(307)
                .addHeader("Location", "https://elsewhere.example/v1/embeddings")
                .build());
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("HTTP 307")
        .contains("https://elsewhere.example/v1/embeddings");
  }

  /**
   * A server that answers {@code response} only when the test has ended: a timeout of the client is
   * then the only way a call can end.
   */
  private Dispatcher holding(MockResponse response) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        release.await(1, TimeUnit.MINUTES);
        return response;
      }
    };
  }

  @Test
  @DisplayName("classifies a read timeout as retryable and names the timeouts")
  void readTimeout() {
    server.setDispatcher(holding(error(200, "x", null, "x")));
    CallFailedException e = failFirstCall("openai.read-timeout", "250ms");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out").contains("read 250 ms");
    assertThat(e).cause().isInstanceOf(java.net.SocketTimeoutException.class);
  }

  @Test
  @DisplayName(
      "classifies a call that outlasts the call timeout as retryable, even while bytes keep arriving")
  void callTimeout() {
    // a valid start, then 200 KB that arrive at 2 KB/s: no read ever waits long, the whole call
    // does
    String big = "{\"padding\":\"" + "x".repeat(200_000) + "\",\"data\":[]}";
    CallFailedException e =
        fail(
            new MockResponse.Builder()
                .code(200)
                .body(big)
                .throttleBody(100, 50, TimeUnit.MILLISECONDS)
                .build(),
            "openai.read-timeout",
            "5s",
            "openai.call-timeout",
            "400ms");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("call timeout").contains("call 400 ms");
  }

  @Test
  @DisplayName("classifies a refused connection as retryable")
  void connectionRefused() throws IOException {
    String url = server.url("/v1").toString();
    server.close(); // nothing listens on the port any more
    provider = TestProviders.create(TestProviders.options(url));
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e).cause().isInstanceOf(ConnectException.class);
  }

  @Test
  @DisplayName("cancels the HTTP call when the caller gives up on the future")
  void cancellationStopsTheCall() throws Exception {
    // the first request gets an answer held until the test ends, every later one a 500; decided
    // when the server dispatches, so a cancel racing the server's own read cannot hand the held
    // answer to the next call
    AtomicInteger dispatched = new AtomicInteger();
    CountDownLatch slowAnswerDispatched = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (dispatched.getAndIncrement() == 0) {
              slowAnswerDispatched.countDown();
              return holding(error(200, "x", null, "x")).dispatch(request);
            }
            return new MockResponse.Builder().code(500).build();
          }
        });
    provider = TestProviders.create(TestProviders.options(server.url("/v1").toString()));
    CompletableFuture<List<float[]>> call =
        provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT));
    assertThat(slowAnswerDispatched.await(30, TimeUnit.SECONDS))
        .as("the first request reached the server")
        .isTrue();
    call.completeExceptionally(new TimeoutException("scheduler batch timeout"));
    // the provider stays usable: the next call gets its own answer while the first one's is still
    // held
    CallFailedException next = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(next.getMessage()).contains("HTTP 500");
  }
}

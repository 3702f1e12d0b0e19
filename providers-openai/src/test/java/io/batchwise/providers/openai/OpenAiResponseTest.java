package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.batchwise.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the provider makes of responses: both vector encodings, reordering, and every broken answer.
 */
class OpenAiResponseTest {
  private static final List<String> TEXTS = List.of("alpha", "beta", "gamma");

  private MockWebServer server;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  /** Opened by a test (or at its end) to let the answers the server holds back go out. */
  private final CountDownLatch release = new CountDownLatch(1);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RemoteEmbeddingProvider provider;

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

  private RemoteEmbeddingProvider provider(String... options) {
    provider =
        TestProviders.create(TestProviders.options(server.url("/v1").toString(), options), meters);
    return provider;
  }

  private static void assertVectorsOf(List<String> texts, List<float[]> vectors, int dims) {
    assertThat(vectors).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i))
          .as("vector %d", i)
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), dims));
    }
  }

  private CallFailedException failure(CompletableFuture<?> call) {
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(CallFailedException.class);
    return (CallFailedException) e.getCause();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_42")
        .body(body)
        .build();
  }

  private static String item(int index, float[] v) {
    return "{\"object\":\"embedding\",\"index\":"
        + index
        + ",\"embedding\":\""
        + FakeOpenAiServer.base64(v)
        + "\"}";
  }

  @ParameterizedTest(name = "encoding_format={0}")
  @ValueSource(strings = {"base64", "float"})
  @DisplayName("decodes base64 little-endian float32 and float arrays to the exact vectors sent")
  void decodesBothEncodings(String format) throws Exception {
    server.setDispatcher(fake);
    List<float[]> vectors =
        provider("openai.encoding-format", format)
            .embed(TEXTS, CallContext.of(InputType.DOCUMENT))
            .get(10, TimeUnit.SECONDS);
    assertVectorsOf(TEXTS, vectors, 8);
    assertThat(fake.seen())
        .singleElement()
        .extracting(FakeOpenAiServer.Seen::encodingFormat)
        .isEqualTo(format);
  }

  @Test
  @DisplayName("places vectors by their index when the server answers out of order")
  void placesVectorsByIndex() throws Exception {
    server.setDispatcher(fake.reverseOrder(true));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      texts.add("text number " + i);
    }
    assertVectorsOf(
        texts,
        provider().embed(texts, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS),
        8);
  }

  @Test
  @DisplayName("parses a full-size response: 2,048 vectors of 1,536 dimensions")
  void parsesAFullSizeResponse() throws Exception {
    server.setDispatcher(fake.dimensions(1536));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2048; i++) {
      texts.add("input " + i);
    }
    // making and reading 2,048 x 1,536 numbers can outlast the default 30 s call timeout on a busy
    // machine
    provider =
        TestProviders.create(
            Map.of(
                "openai.base-url",
                server.url("/v1").toString(),
                "openai.api-key",
                TestProviders.KEY,
                "call-timeout",
                "10m"),
            meters);
    assertVectorsOf(
        texts,
        provider.embed(texts, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.MINUTES),
        1536);
  }

  @Test
  @DisplayName("switches to float for good when the server answers base64 requests with arrays")
  void fallsBackWhenBase64IsIgnored() throws Exception {
    server.setDispatcher(fake.base64(FakeOpenAiServer.Base64Support.IGNORED));
    provider();
    assertVectorsOf(
        TEXTS,
        provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS),
        8);
    assertVectorsOf(
        TEXTS,
        provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS),
        8);
    assertThat(fake.seen())
        .extracting(FakeOpenAiServer.Seen::encodingFormat)
        .containsExactly("base64", "float");
  }

  @Test
  @DisplayName(
      "fails a call as retryable when the server rejects base64, and asks for float on the retry")
  void fallsBackWhenBase64IsRejected() throws Exception {
    server.setDispatcher(fake.base64(FakeOpenAiServer.Base64Support.REJECTED));
    provider();
    CallFailedException first = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(first.isRetryable()).isTrue();
    assertThat(first.getMessage()).contains("encoding_format=base64");
    assertVectorsOf(
        TEXTS,
        provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS),
        8);
    assertThat(fake.seen())
        .extracting(FakeOpenAiServer.Seen::encodingFormat)
        .containsExactly("base64", "float");
  }

  @Test
  @DisplayName("records the reported prompt tokens and the HTTP meters")
  void recordsUsageAndHttpMeters() throws Exception {
    server.setDispatcher(fake);
    provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
    provider
        .embed(List.of("one more text"), CallContext.of(InputType.DOCUMENT))
        .get(10, TimeUnit.SECONDS);
    long serverTokens = fake.seen().stream().mapToLong(FakeOpenAiServer.Seen::tokens).sum();
    assertThat(serverTokens).isPositive();
    assertThat(meters.get(MeterNames.TOKENS_PROMPT).counter().count()).isEqualTo(serverTokens);
    assertThat(
            meters
                .get(MeterNames.HTTP_REQUESTS)
                .tag(MeterNames.TAG_OUTCOME, "2xx")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            meters.get(MeterNames.HTTP_LATENCY).tag(MeterNames.TAG_OUTCOME, "2xx").timer().count())
        .isEqualTo(2);
    assertThat(meters.get(MeterNames.HTTP_REQUEST_BYTES).counter().count()).isGreaterThan(50);
    assertThat(meters.get(MeterNames.HTTP_RESPONSE_BYTES).counter().count()).isGreaterThan(100);
    assertThat(
            meters.get(MeterNames.HTTP_REQUESTS).counter().getId().getTag(MeterNames.TAG_PROVIDER))
        .isEqualTo("openai");
  }

  @Test
  @DisplayName("fails the call, not retryable, when the server returns fewer vectors than inputs")
  void wrongCount() throws Exception {
    float[] v = new float[8];
    server.enqueue(
        json("{\"data\":[" + item(0, v) + "," + item(1, v) + "],\"usage\":{\"prompt_tokens\":3}}"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("returned 2 vectors for 3 inputs")
        .contains("x-request-id=req_42");
    assertThat(server.getRequestCount()).as("the provider never retries").isEqualTo(1);
  }

  @Test
  @DisplayName("fails the call when two vectors claim the same index")
  void duplicateIndex() throws Exception {
    float[] v = new float[8];
    server.enqueue(json("{\"data\":[" + item(0, v) + "," + item(0, v) + "," + item(1, v) + "]}"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("two vectors for input 0");
  }

  @Test
  @DisplayName("fails the call when an index is outside the request")
  void indexOutOfRange() throws Exception {
    float[] v = new float[8];
    server.enqueue(json("{\"data\":[" + item(0, v) + "," + item(1, v) + "," + item(7, v) + "]}"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.getMessage()).contains("index 7").contains("only 3 inputs");
  }

  @Test
  @DisplayName("fails the call, naming the input, when a vector has the wrong dimensions")
  void wrongDimensions() throws Exception {
    server.enqueue(
        json(
            "{\"data\":["
                + item(0, new float[8])
                + ","
                + item(1, new float[4])
                + ","
                + item(2, new float[8])
                + "]}"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("input 1 has 4 dimensions; expected 8");
  }

  @Test
  @DisplayName("fails the call as retryable when a 200 body is not JSON")
  void malformedJson() throws Exception {
    server.enqueue(json("<html><body>Bad gateway, but with status 200</body></html>"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("not valid JSON");
  }

  @Test
  @DisplayName("fails the call as retryable when the JSON body ends early")
  void truncatedJson() throws Exception {
    float[] v = new float[8];
    String whole = "{\"data\":[" + item(0, v) + "," + item(1, v) + "," + item(2, v) + "]}";
    server.enqueue(json(whole.substring(0, whole.length() / 2)));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("not valid JSON");
  }

  @Test
  @DisplayName("fails the call as retryable when the body ends inside a base64 vector")
  void truncatedInsideBase64() throws Exception {
    server.enqueue(json("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAAAA"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("not valid JSON");
  }

  @Test
  @DisplayName("fails the call, not retryable, when a vector is not base64 of float32 values")
  void invalidBase64() throws Exception {
    server.enqueue(json("{\"data\":[{\"index\":0,\"embedding\":\"!!not base64!!\"}]}"));
    CallFailedException e =
        failure(provider().embed(List.of("one"), CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("data[0].embedding is not base64 of float32 values");
  }

  @Test
  @DisplayName("fails the call as retryable when the connection drops in the middle of the body")
  void connectionDropsMidBody() throws Exception {
    float[] v = new float[8];
    String whole = "{\"data\":[" + item(0, v) + "," + item(1, v) + "," + item(2, v) + "]}";
    server.enqueue(
        json(whole)
            .newBuilder()
            .throttleBody(64, 10, TimeUnit.MILLISECONDS)
            .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e).cause().isInstanceOf(java.io.IOException.class);
  }

  @Test
  @DisplayName("fails the call when the body has no data array, quoting the error it holds")
  void noDataArray() throws Exception {
    server.enqueue(json("{\"error\":\"model is loading\"}"));
    CallFailedException e = failure(provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.getMessage()).contains("no 'data' array").contains("model is loading");
  }

  @Test
  @DisplayName("rejects a call over the input limit before sending anything")
  void rejectsTooManyInputs() {
    provider("openai.max-inputs-per-request", "2");
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("3 inputs").contains("limit is 2");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  @DisplayName("fails calls after close without sending them")
  void closedProviderFailsCalls() {
    provider().close();
    assertThat(failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT))))
        .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
        .contains("closed");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  @DisplayName("fails calls in flight, not retryable, when the provider is closed")
  void closeFailsCallsInFlight() throws Exception {
    // the server holds its answer until the test ends: only the close can end the call
    server.setDispatcher(fake.holdAnswersUntil(release));
    CompletableFuture<List<float[]>> call =
        provider().embed(TEXTS, CallContext.of(InputType.DOCUMENT));
    Await.until(
        "the request is held at the server", Duration.ofSeconds(30), () -> fake.inFlight() == 1);
    provider.close();
    CallFailedException e = failure(call);
    assertThat(fake.inFlight()).as("the answer is still held").isEqualTo(1);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("closed while a call with 3 inputs was in flight");
  }

  @Test
  @DisplayName("serves many concurrent calls on one client without queueing them inside OkHttp")
  void concurrentCalls() throws Exception {
    // the server answers only once all 16 requests are with it at once; OkHttp's default of 5 calls
    // per host would keep 11 of them queued inside the client, never reaching it
    server.setDispatcher(fake.holdAnswersUntil(release));
    provider();
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(provider.embed(List.of("concurrent " + i), CallContext.of(InputType.DOCUMENT)));
    }
    Await.until(
        "16 requests in flight at the server at once",
        Duration.ofSeconds(30),
        () -> fake.inFlight() == 16);
    release.countDown();
    for (int i = 0; i < calls.size(); i++) {
      assertVectorsOf(List.of("concurrent " + i), calls.get(i).get(30, TimeUnit.SECONDS), 8);
    }
    assertThat(fake.maxInFlight()).isGreaterThan(5).isEqualTo(16);
  }

  @Test
  @DisplayName(
      "reports the answer as arrived when the status is in, before its body is read and decoded; failures not at all")
  void reportsAnsweredBeforeDecoding() throws Exception {
    float[][] v = {{1f, 2f}, {3f, 4f}, {5f, 6f}};
    String body =
        "{\"object\":\"list\",\"data\":["
            + item(0, v[0])
            + ","
            + item(1, v[1])
            + ","
            + item(2, v[2])
            + "],\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    // the second half of the body is held back until the test releases it: decoding cannot finish
    // before
    server.enqueue(
        json(body)
            .newBuilder()
            .body(FakeOpenAiServer.heldBack(body, body.length() / 2, release))
            .build());
    server.enqueue(
        new MockResponse.Builder().code(500).body("{\"error\":{\"message\":\"boom\"}}").build());
    RemoteEmbeddingProvider p =
        provider("openai.dimensions", "2", "openai.encoding-format", "base64");

    CountDownLatch answered = new CountDownLatch(1);
    AtomicInteger reports = new AtomicInteger();
    CompletableFuture<List<float[]>> call =
        p.embed(
            TEXTS,
            CallContext.of(
                InputType.DOCUMENT,
                () -> {
                  reports.incrementAndGet();
                  answered.countDown();
                },
                () -> false));
    assertThat(answered.await(30, TimeUnit.SECONDS))
        .as("reported while the body was still arriving")
        .isTrue();
    assertThat(call).as("nothing decoded before the last byte").isNotDone();
    release.countDown();
    List<float[]> vectors = call.get(30, TimeUnit.SECONDS);
    assertThat(vectors).containsExactly(v);
    assertThat(reports).hasValue(1);

    AtomicInteger failedReports = new AtomicInteger();
    CallFailedException failed =
        failure(
            p.embed(
                TEXTS,
                CallContext.of(InputType.DOCUMENT, failedReports::incrementAndGet, () -> false)));
    assertThat(failed.getMessage()).contains("500");
    assertThat(failedReports).as("a failed status is not an answer to decode").hasValue(0);
  }
}

package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.ModelInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The provider through the real pipeline and scheduler ({@code
 * Batchwise.builder().provider("openai")}) against a server on loopback: packing within the limits,
 * and the scheduler retrying exactly what the provider classified as retryable.
 */
class OpenAiPipelineTest {
  private MockWebServer server;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  /** Scripted answers for the first requests; then the fake server answers. */
  private final Deque<Function<RecordedRequest, MockResponse>> script = new ArrayDeque<>();

  /** Answers held back by a test go out once this opens, at the end of each test. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            Function<RecordedRequest, MockResponse> next;
            synchronized (script) {
              next = script.poll();
            }
            MockResponse scripted = next == null ? null : next.apply(request);
            return scripted != null ? scripted : fake.dispatch(request);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
  }

  /** Waits, on a server thread, for the end of the test (or a minute). */
  private void awaitRelease() {
    try {
      release.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void then(Function<RecordedRequest, MockResponse> answer) {
    synchronized (script) {
      script.add(answer);
    }
  }

  private MockResponse answer(RecordedRequest request) {
    try {
      return fake.dispatch(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void then(MockResponse response) {
    then(r -> response);
  }

  private Batchwise batchwise(String... options) {
    return TestProviders.batchwise(server.url("/v1").toString(), options);
  }

  private static MockResponse error(int status, String code, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("x-request-id", "req_" + status)
        .body(
            "{\"error\":{\"message\":\""
                + message
                + "\",\"type\":\"t\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"")
                + "}}")
        .build();
  }

  private static List<String> texts(int n, String prefix) {
    return TestProviders.texts(n, prefix);
  }

  private static void assertVectors(List<String> texts, EmbedResult result) {
    assertThat(result.allSucceeded()).as("failures: %s", result.failures()).isTrue();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(result.vectors().get(i))
          .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
    }
  }

  @Test
  @DisplayName(
      "at concurrency 1 the second request leaves as soon as the first answer arrives, while that answer is still read")
  void answeredRequestFreesItsSlot() {
    // half of answer 1 goes out at once, the rest only when request 2 has arrived: had request 2
    // waited for answer 1 to be read, answer 1 would never complete, but time out and be sent again
    CountDownLatch secondRequest = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            MockResponse answer = fake.dispatch(request);
            if (requests.getAndIncrement() > 0) {
              secondRequest.countDown();
              return answer;
            }
            try {
              String body = FakeOpenAiServer.bodyOf(answer);
              return answer
                  .newBuilder()
                  .body(FakeOpenAiServer.heldBack(body, body.length() / 2, secondRequest))
                  .build();
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }
        });
    List<String> texts = texts(4, "slot");
    try (Batchwise bw = batchwise("concurrency", "1", "openai.max-inputs-per-request", "2")) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertVectors(texts, result);
      assertThat(result.usage().retries()).isZero();
    }
    assertThat(server.getRequestCount())
        .as("request 2 arrived while answer 1 was held back")
        .isEqualTo(2);
  }

  @Test
  @DisplayName(
      "four embeds at once at concurrency 2: the server never has more than 2 requests in flight")
  void concurrencyHeldAcrossEmbeds() {
    server.setDispatcher(fake.latencyMillis(20));
    try (Batchwise bw = batchwise("concurrency", "2", "openai.max-inputs-per-request", "2")) {
      List<List<String>> inputs = new ArrayList<>();
      List<CompletableFuture<EmbedResult>> results = new ArrayList<>();
      for (int e = 0; e < 4; e++) {
        inputs.add(texts(8, "embed " + e));
        results.add(bw.embedder().embedAllAsync(inputs.get(e)));
      }
      for (int e = 0; e < 4; e++) {
        assertVectors(inputs.get(e), results.get(e).join());
      }
    }
    assertThat(fake.seen()).hasSize(16);
    assertThat(fake.maxInFlight())
        .as("most requests the server was working on at once")
        .isLessThanOrEqualTo(2);
  }

  @Test
  @DisplayName(
      "packs random sizes into the fewest requests within the limits; over-long inputs fail alone")
  void packsWithinLimits() {
    SplittableRandom random = new SplittableRandom(5);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      int words = random.nextInt(12) == 0 ? 150 + random.nextInt(400) : 1 + random.nextInt(60);
      StringBuilder b = new StringBuilder("text " + i);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(Integer.toString(random.nextInt(5000), 36));
      }
      texts.add(b.toString());
    }
    try (Batchwise bw =
        batchwise(
            "openai.max-inputs-per-request", "40",
            "openai.max-tokens-per-request", "3000",
            "openai.max-tokens-per-input", "600")) {
      EmbedResult result = bw.embedder().embedAll(texts);
      ModelInfo limits = bw.provider().modelInfo();
      int[] counts = texts.stream().mapToInt(bw.provider().tokenizer()::count).toArray();

      for (int i = 0; i < texts.size(); i++) {
        Embedding e = result.embeddings().get(i);
        if (counts[i] > limits.maxTokensPerInput()) {
          assertThat(e.succeeded()).as("input %d has %d tokens", i, counts[i]).isFalse();
          assertThat(e.failure().orElseThrow().getMessage())
              .contains(String.valueOf(i))
              .contains("600");
        } else {
          assertThat(e.vector())
              .as("input %d", i)
              .containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
        }
      }
      assertThat(fake.seen())
          .allSatisfy(
              s -> {
                assertThat(s.inputs()).isBetween(1, limits.maxInputsPerCall());
                assertThat(s.tokens()).isLessThanOrEqualTo(limits.maxTokensPerCall());
              });
      long sendable = Arrays.stream(counts).filter(c -> c <= limits.maxTokensPerInput()).count();
      assertThat(sendable).as("some inputs are over the limit").isLessThan(counts.length);
      assertThat(fake.seen().stream().mapToInt(FakeOpenAiServer.Seen::inputs).sum())
          .isEqualTo((int) sendable);
      assertThat(server.getRequestCount())
          .as("the fewest requests: what greedy in-order packing needs")
          .isEqualTo(SingleCallPacker.pack(counts, limits).size());
      assertThat(result.usage().providerCalls()).isEqualTo(server.getRequestCount());
    }
  }

  @Test
  @DisplayName("retries a 429 after its Retry-After hint, then succeeds")
  void retriesRateLimit() {
    then(
        error(429, "rate_limit_exceeded", "Rate limit reached")
            .newBuilder()
            .addHeader("retry-after-ms", "50")
            .build());
    List<String> texts = texts(5, "rate");
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertVectors(texts, result);
      assertThat(server.getRequestCount()).isEqualTo(2);
      assertThat(result.usage().retries()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "holds the next call until the window resets when x-ratelimit-remaining-requests says none is left")
  void pacesByRateLimitHeaders() {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    then(
        r -> {
          arrivals.add(System.nanoTime());
          return answer(r)
              .newBuilder()
              .addHeader("x-ratelimit-limit-requests", "2")
              .addHeader("x-ratelimit-remaining-requests", "0")
              .addHeader("x-ratelimit-reset-requests", "400ms")
              .build();
        });
    then(
        r -> {
          arrivals.add(System.nanoTime());
          return answer(r);
        });
    List<String> texts = texts(2, "paced");
    try (Batchwise bw = batchwise("max-inputs-per-call", "1", "concurrency", "1")) {
      assertThat(bw.provider().pacer().requestsPerMinute()).isZero();
      assertVectors(texts, bw.embedder().embedAll(texts));
      assertThat(arrivals).hasSize(2);
      assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(350));
      assertThat(bw.provider().pacer().requestsPerMinute())
          .as("learned from the headers")
          .isEqualTo(2);
    }
  }

  @Test
  @DisplayName("retries 500, 502 and 503, then succeeds")
  void retriesServerErrors() {
    then(error(500, null, "boom"));
    then(error(502, null, "bad gateway"));
    then(error(503, null, "overloaded").newBuilder().addHeader("Retry-After", "0").build());
    List<String> texts = texts(3, "server");
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertVectors(texts, result);
      assertThat(server.getRequestCount()).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("retries a read timeout, then succeeds")
  void retriesReadTimeout() {
    then(
        r -> {
          awaitRelease(); // no answer while the test runs: only the read timeout ends the first
          // request
          return new MockResponse.Builder().code(200).body("{}").build();
        });
    List<String> texts = texts(3, "slow");
    // long enough that the retry's own answer, made at once, never outlasts it on a busy machine
    try (Batchwise bw = batchwise("openai.read-timeout", "2s")) {
      assertVectors(texts, bw.embedder().embedAll(texts));
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("retries a truncated body and switches to float when base64 is rejected")
  void retriesBrokenBodiesAndFallsBack() {
    then(
        new MockResponse.Builder()
            .code(200)
            .body("{\"data\":[{\"index\":0,\"embedding\":\"AAAA")
            .build());
    then(
        r ->
            r.getBody().utf8().contains("base64")
                ? error(400, null, "encoding_format: Input should be 'float'")
                : null);
    List<String> texts = texts(2, "format");
    try (Batchwise bw = batchwise()) {
      assertVectors(texts, bw.embedder().embedAll(texts));
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(fake.seen())
          .singleElement()
          .extracting(FakeOpenAiServer.Seen::encodingFormat)
          .isEqualTo("float");
    }
  }

  @Test
  @DisplayName("does not retry insufficient_quota: one request, every input failed with the reason")
  void quotaIsFinal() {
    then(error(429, "insufficient_quota", "You exceeded your current quota"));
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAll(texts(4, "quota"));
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(result.failures())
          .hasSize(4)
          .allSatisfy(
              e ->
                  assertThat(rootCallFailure(e.error()))
                      .isNotNull()
                      .extracting(Throwable::getMessage)
                      .asString()
                      .contains("insufficient_quota"));
    }
  }

  @Test
  @DisplayName("fails only the call a 400 blames, naming the input; the other calls succeed")
  void badRequestFailsOnlyItsCall() {
    List<String> texts = new ArrayList<>(texts(3, "good"));
    texts.addAll(List.of("fine", "poison", "fine too"));
    texts.addAll(texts(3, "also good"));
    Function<RecordedRequest, MockResponse> poison =
        r ->
            r.getBody().utf8().contains("poison")
                ? error(400, null, "'$.input[1]' is invalid.")
                : null;
    for (int i = 0; i < 3; i++) {
      then(poison);
    }
    try (Batchwise bw = batchwise("openai.max-inputs-per-request", "3", "concurrency", "1")) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertThat(server.getRequestCount()).as("three calls, the 400 not retried").isEqualTo(3);
      for (int i = 0; i < texts.size(); i++) {
        Embedding e = result.embeddings().get(i);
        if (i >= 3 && i < 6) {
          assertThat(e.succeeded()).isFalse();
          assertThat(rootCallFailure(e.error()).getMessage())
              .contains("HTTP 400")
              .contains("the server names input 1");
        } else {
          assertThat(e.vector()).containsExactly(FakeOpenAiServer.vectorFor(texts.get(i), 8));
        }
      }
    }
  }

  @Test
  @DisplayName("fails a call whose response has the wrong count or dimensions, without retrying it")
  void wrongShapeIsFinal() {
    then(
        new MockResponse.Builder()
            .code(200)
            .body("{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}")
            .build());
    try (Batchwise bw = batchwise()) {
      EmbedResult result = bw.embedder().embedAll(texts(1, "shape"));
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(rootCallFailure(result.failures().get(0).error()).getMessage())
          .contains("input 0 has 3 dimensions; expected 8");
    }
  }

  private static Throwable rootCallFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CallFailedException) {
        return c;
      }
    }
    return t;
  }
}

package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 200 answer that is wrong or hostile fails its call, classified, never a vector: bounds crossed
 * (numbers, items, bytes, string length, nesting), values that are not finite float32, indexes that
 * are not whole numbers naming an input, fields given twice, content after the end. And whatever is
 * thrown while an answer is read completes the call. Against a real server on loopback; the memory
 * side, at -Xmx256m with bodies past 2 GB, is {@link HostileAnswerMemoryTest}.
 */
class OpenAiHostileAnswerTest {
  private static final List<String> TEXTS = List.of("alpha", "beta", "gamma");

  /** The documented body limit for 3 inputs of 8 dimensions: 1 MiB + 3 × (4 KiB + 8 × 64 B). */
  private static final long BODY_LIMIT_3X8 = (1 << 20) + 3L * (4096 + 8 * 64);

  @StartStop private final MockWebServer server = new MockWebServer();
  private RemoteEmbeddingProvider provider;

  @BeforeEach
  void createProvider() {
    provider = TestProviders.create(TestProviders.options(server.url("/v1").toString()));
  }

  @AfterEach
  void closeProvider() {
    provider.close();
  }

  private static CallFailedException failure(CompletableFuture<?> call) {
    ExecutionException e =
        Assertions.assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(CallFailedException.class);
    return (CallFailedException) e.getCause();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static String b64(float... v) {
    return "\"" + FakeOpenAiServer.base64(v) + "\"";
  }

  private static String item(int index, String embedding) {
    return "{\"index\":" + index + ",\"embedding\":" + embedding + "}";
  }

  private static final String V = b64(new float[8]);
  private static final String THREE = item(0, V) + "," + item(1, V) + "," + item(2, V);

  static Stream<Arguments> wrongAnswers() {
    String nine = "[1,2,3,4,5,6,7,8,9]";
    float[] nan = new float[8];
    nan[3] = Float.NaN;
    float[] inf = new float[8];
    inf[7] = Float.NEGATIVE_INFINITY;
    return Stream.of(
        Arguments.of(
            "more numbers than dimensions",
            "{\"data\":[" + item(0, nine) + "]}",
            "data[0].embedding has more than the 8 numbers expected"),
        Arguments.of(
            "more items than inputs",
            "{\"data\":[" + THREE + ",{\"embedding\":" + V + "}]}",
            "the server returned more than 3 vectors for 3 inputs"),
        Arguments.of(
            "a number past float32",
            "{\"data\":["
                + item(0, "[0,0,0,0,0,0,0,1e39]")
                + ","
                + item(1, V)
                + ","
                + item(2, V)
                + "]}",
            "data[0].embedding[7] is 1e39, not a finite float32 value"),
        Arguments.of(
            "NaN in base64",
            "{\"data\":[" + item(0, V) + "," + item(1, b64(nan)) + "," + item(2, V) + "]}",
            "data[1].embedding[3] is NaN, not a finite float32 value"),
        Arguments.of(
            "-Infinity in base64",
            "{\"data\":[" + item(0, V) + "," + item(1, V) + "," + item(2, b64(inf)) + "]}",
            "data[2].embedding[7] is -Infinity, not a finite float32 value"),
        Arguments.of(
            "an index as a string, reordered",
            "{\"data\":[{\"index\":\"1\",\"embedding\":"
                + V
                + "},{\"index\":\"0\",\"embedding\":"
                + V
                + "},{\"index\":\"2\",\"embedding\":"
                + V
                + "}]}",
            "data[0].index is a string, not a whole number"),
        Arguments.of(
            "an index as a float",
            "{\"data\":[{\"index\":0.0,\"embedding\":" + V + "}]}",
            "data[0].index is a number, not a whole number"),
        Arguments.of(
            "a null index",
            "{\"data\":[{\"index\":null,\"embedding\":" + V + "}]}",
            "data[0].index is null, not a whole number"),
        Arguments.of(
            "an index too large for an int",
            "{\"data\":["
                + item(0, V)
                + ","
                + item(1, V)
                + ","
                + "{\"index\":99999999999999999999,\"embedding\":"
                + V
                + "}]}",
            "data[2] has index 99999999999999999999, but the request had only 3 inputs"),
        Arguments.of(
            "a negative index",
            "{\"data\":[{\"index\":-1,\"embedding\":" + V + "}]}",
            "data[0] has index -1, but the request had 3 inputs"),
        Arguments.of(
            "two indexes in one item",
            "{\"data\":[{\"index\":0,\"index\":1,\"embedding\":" + V + "}]}",
            "data[0] has two indexes"),
        Arguments.of(
            "two embeddings in one item",
            "{\"data\":[{\"index\":0,\"embedding\":"
                + V
                + ",\"embedding\":"
                + b64(1, 1, 1, 1, 1, 1, 1, 1)
                + "}]}",
            "data[0] has two embeddings"),
        Arguments.of(
            "two data arrays",
            "{\"data\":[" + THREE + "],\"data\":[" + THREE + "]}",
            "the response has two 'data' arrays"),
        Arguments.of(
            "a second document after the first",
            "{\"data\":[" + THREE + "]} {\"data\":[]}",
            "the response goes on after its closing brace"),
        Arguments.of(
            "a base64 vector too long",
            "{\"data\":[" + item(0, b64(new float[9])) + "]}",
            "data[0].embedding is 48 base64 characters; 8 float32 values take 44"),
        Arguments.of(
            "a string read past the limit",
            "{\"data\":[" + THREE + "],\"error\":\"" + "m".repeat(70_000) + "\"}",
            "the response is past a limit of this client (String value length (70000) exceeds the maximum allowed (65536"),
        Arguments.of(
            "nesting past the limit",
            "{\"x\":" + "[".repeat(70) + "]".repeat(70) + ",\"data\":[" + THREE + "]}",
            "the response is past a limit of this client (Document nesting depth (65) exceeds the maximum allowed (64"),
        Arguments.of(
            "whitespace past the body limit",
            "{\"data\":[" + THREE + "]" + " ".repeat((int) BODY_LIMIT_3X8) + "}",
            "the response body is larger than "
                + BODY_LIMIT_3X8
                + " bytes, the most an answer of 3 vectors of 8 dimensions may take"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongAnswers")
  @DisplayName("a wrong or hostile 200 answer fails the call, not retryable, naming what is wrong")
  void refusesWrongAnswers(String name, String body, String message) {
    server.enqueue(json(body));
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  @DisplayName("a gzip body that inflates to 64 MB fails once the body limit is crossed")
  void gzipBombStopsAtTheLimit() throws IOException {
    Buffer gzipped = new Buffer();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped.outputStream())) {
      gzip.write(
          ("{\"data\":[" + THREE + "]").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] spaces = " ".repeat(1 << 16).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < 1024; i++) {
        gzip.write(spaces);
      }
      gzip.write('}');
    }
    assertThat(gzipped.size()).as("compressed").isLessThan(1 << 20);
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Encoding", "gzip")
            .body(gzipped)
            .build());
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("the response body is larger than " + BODY_LIMIT_3X8 + " bytes");
  }

  @Test
  @DisplayName("a prompt_tokens count too large for a long is no count, not a broken answer")
  void ignoresAnAbsurdTokenCount() throws Exception {
    server.enqueue(
        json(
            "{\"data\":["
                + THREE
                + "],\"usage\":{\"prompt_tokens\":123456789012345678901234567890}}"));
    assertThat(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)).get(20, TimeUnit.SECONDS))
        .hasSize(3);
  }

  @Test
  @DisplayName(
      "an Error thrown on the HTTP thread (a listener's StackOverflowError) completes the call at once")
  void anyThrowableCompletesTheCall() throws Exception {
    AtomicInteger depth = new AtomicInteger();
    provider.rateLimits().addListener(s -> recurse(depth));
    server.enqueue(
        json("{\"data\":[" + THREE + "]}")
            .newBuilder()
            .addHeader("x-ratelimit-limit-requests", "10")
            .build());
    CallFailedException e = failure(provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)));
    assertThat(depth.get()).as("a real stack overflow").isGreaterThan(1000);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("failed while its answer was read: java.lang.StackOverflowError");
    assertThat(e).cause().isInstanceOf(StackOverflowError.class);
  }

  private static void recurse(AtomicInteger depth) {
    depth.incrementAndGet();
    recurse(depth);
  }
}

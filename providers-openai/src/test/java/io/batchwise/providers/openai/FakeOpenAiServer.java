package io.batchwise.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.providers.openai.internal.TiktokenEncodings;
import io.batchwise.spi.Tokenizer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import okio.BufferedSink;

/**
 * An OpenAI-compatible embeddings endpoint for MockWebServer: answers each request with one
 * deterministic unit vector per input (seeded by the text, so the same text always gets the same
 * vector), as base64 or float arrays, counts each request's tokens with cl100k_base and records
 * what it saw. Thread-safe.
 */
final class FakeOpenAiServer extends Dispatcher {
  /** How the server treats {@code encoding_format=base64}. */
  enum Base64Support {
    /** Answers base64 when asked. */
    SUPPORTED,
    /** Ignores the field and always answers float arrays. */
    IGNORED,
    /** Answers 400 naming encoding_format when asked for base64. */
    REJECTED
  }

  /** What one request carried. */
  record Seen(int inputs, long tokens, String encodingFormat, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Tokenizer cl100k = TiktokenEncodings.tokenizer("cl100k_base");
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private volatile int dimensions = 8;
  private volatile Base64Support base64 = Base64Support.SUPPORTED;
  private volatile boolean reverse;
  private volatile long latencyMillis;
  private final Queue<Integer> failures = new ConcurrentLinkedQueue<>();
  private volatile CountDownLatch hold;

  FakeOpenAiServer dimensions(int d) {
    this.dimensions = d;
    return this;
  }

  FakeOpenAiServer base64(Base64Support support) {
    this.base64 = support;
    return this;
  }

  FakeOpenAiServer reverseOrder(boolean r) {
    this.reverse = r;
    return this;
  }

  /**
   * Answers the next request with {@code status} and an OpenAI-style error body, then as usual.
   *
   * @param status an HTTP error status
   * @return this
   */
  FakeOpenAiServer failNext(int status) {
    failures.add(status);
    return this;
  }

  /**
   * Makes every answer take at least {@code ms}: only for tests whose outcome holds at any latency
   * (a test that needs requests to overlap holds them with {@link #holdAnswersUntil} instead).
   *
   * @param ms the latency
   * @return this
   */
  FakeOpenAiServer latencyMillis(long ms) {
    this.latencyMillis = ms;
    return this;
  }

  /**
   * Holds every answer until {@code release} opens (or a minute has passed, so that a test that
   * fails before opening it still ends): the requests stay in flight at the server for as long as a
   * test needs, without guessing a latency.
   *
   * @param release opened by the test
   * @return this
   */
  FakeOpenAiServer holdAnswersUntil(CountDownLatch release) {
    this.hold = release;
    return this;
  }

  /**
   * @return requests the server is answering right now
   */
  int inFlight() {
    return inFlight.get();
  }

  List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      if (latencyMillis > 0) {
        Thread.sleep(latencyMillis);
      }
      Integer failure = failures.poll();
      if (failure != null) {
        return new MockResponse.Builder()
            .code(failure)
            .body("{\"error\":{\"message\":\"provoked failure\",\"type\":\"server_error\"}}")
            .build();
      }
      CountDownLatch release = hold;
      if (release != null) {
        release.await(1, TimeUnit.MINUTES);
      }
      return answer(request);
    } catch (IOException e) {
      return new MockResponse.Builder()
          .code(400)
          .body("{\"error\":{\"message\":\"bad json\"}}")
          .build();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private MockResponse answer(RecordedRequest request) throws IOException {
    JsonNode body = JSON.readTree(request.getBody().utf8());
    String format = body.path("encoding_format").asText("float");
    ArrayNode input = (ArrayNode) body.get("input");
    long tokens = 0;
    for (JsonNode t : input) {
      tokens += cl100k.count(t.asText());
    }
    seen.add(new Seen(input.size(), tokens, format, body));
    if (format.equals("base64") && base64 == Base64Support.REJECTED) {
      return new MockResponse.Builder()
          .code(400)
          .body(
              "{\"error\":{\"message\":\"encoding_format: Input should be 'float'\",\"type\":\"invalid_request_error\",\"param\":\"encoding_format\",\"code\":null}}")
          .build();
    }
    boolean asBase64 = format.equals("base64") && base64 == Base64Support.SUPPORTED;
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int k = 0; k < input.size(); k++) {
      int i = reverse ? input.size() - 1 - k : k;
      float[] v = vectorFor(input.get(i).asText(), dimensions);
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      if (asBase64) {
        item.put("embedding", base64(v));
      } else {
        ArrayNode arr = item.putArray("embedding");
        for (float f : v) {
          arr.add(f);
        }
      }
      item.put("index", i);
    }
    root.put("model", body.path("model").asText());
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_fake")
        .body(JSON.writeValueAsString(root))
        .build();
  }

  /**
   * The vector this server gives {@code text}: a unit vector seeded by the text.
   *
   * @param text the input
   * @param dimensions its length
   * @return the vector
   */
  static float[] vectorFor(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(text.hashCode() * 31L + text.length());
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
      norm += (double) v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /**
   * Encodes a vector as OpenAI does for {@code encoding_format=base64}.
   *
   * @param v the vector
   * @return base64 of its little-endian float32 bytes
   */
  static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /**
   * The text of an answer's body.
   *
   * @param answer an answer with a body
   * @return its body
   * @throws IOException never, for a body held in memory
   */
  static String bodyOf(MockResponse answer) throws IOException {
    Buffer b = new Buffer();
    answer.getBody().writeTo(b);
    return b.readUtf8();
  }

  /**
   * A body of which only the first {@code sentAtOnce} bytes go out until {@code until} opens; then
   * the rest. Should it not open within a minute, the connection is cut instead, so that the call
   * fails rather than the test hanging.
   *
   * @param body the whole body
   * @param sentAtOnce how many bytes go out before the hold
   * @param until opened by the test
   * @return the body
   */
  static MockResponseBody heldBack(String body, int sentAtOnce, CountDownLatch until) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return bytes.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes, 0, sentAtOnce);
        sink.flush();
        try {
          if (!until.await(1, TimeUnit.MINUTES)) {
            throw new IOException("the rest of the body was never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while holding the body back");
        }
        sink.write(bytes, sentAtOnce, bytes.length - sentAtOnce);
      }
    };
  }
}

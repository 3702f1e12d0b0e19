package io.batchwise.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible {@code /v1/embeddings} server on loopback (a real HTTP server): each input's
 * vector is derived from its text, so order and identity can be checked; it counts requests and
 * inputs, records each request's inputs, and counts the requests it is working on at once (each
 * takes {@link #latencyMillis} before its answer). It can hold requests from a given one on until
 * the test releases them ({@link #holdFrom}, {@link #release}).
 */
final class FakeOpenAi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Bounds a held request when a test fails before releasing it; never reached by a passing test.
   */
  private static final long HOLD_BOUND_SECONDS = 120;

  final MockWebServer server = new MockWebServer();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger inputs = new AtomicInteger();

  /** Every request's inputs, in arrival order. */
  final List<List<String>> received = Collections.synchronizedList(new ArrayList<>());

  private final AtomicInteger inFlight = new AtomicInteger();

  /** The most requests the server was working on at once. */
  final AtomicInteger maxInFlight = new AtomicInteger();

  /** How long each request takes before its answer. */
  volatile long latencyMillis;

  /** Requests that arrived, answered or not. */
  final AtomicInteger arrived = new AtomicInteger();

  /**
   * The first request (counting from 1) that waits for {@link #release} before its answer; 0: none
   * waits.
   */
  volatile int holdFrom;

  /** Lets the held requests be answered. */
  final CountDownLatch release = new CountDownLatch(1);

  private final int dimensions;

  FakeOpenAi(int dimensions) throws IOException {
    this.dimensions = dimensions;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            int number = arrived.incrementAndGet();
            if (holdFrom > 0
                && number >= holdFrom
                && !release.await(HOLD_BOUND_SECONDS, TimeUnit.SECONDS)) {
              return new MockResponse.Builder()
                  .code(500)
                  .body("the test never released this request")
                  .build();
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
              }
              return answer(request);
            } finally {
              inFlight.decrementAndGet();
            }
          }
        });
    server.start();
  }

  String baseUrl() {
    return server.url("/v1").toString();
  }

  /** The vector this server gives a text. */
  static float[] vectorOf(String text, int dimensions) {
    float[] v = new float[dimensions];
    v[0] = text.length();
    for (int d = 1; d < dimensions; d++) {
      v[d] = (text.hashCode() >>> d & 7) + d;
    }
    return v;
  }

  private MockResponse answer(RecordedRequest request) {
    requests.incrementAndGet();
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      ObjectNode response = JSON.createObjectNode();
      response.put("object", "list");
      ArrayNode data = response.putArray("data");
      JsonNode input = body.get("input");
      List<String> texts = new ArrayList<>();
      input.forEach(t -> texts.add(t.asText()));
      received.add(texts);
      for (int i = 0; i < input.size(); i++) {
        inputs.incrementAndGet();
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", i);
        ArrayNode vector = item.putArray("embedding");
        for (float f : vectorOf(input.get(i).asText(), dimensions)) {
          vector.add(f);
        }
      }
      response.put("model", body.get("model").asText());
      response
          .putObject("usage")
          .put("prompt_tokens", input.size())
          .put("total_tokens", input.size());
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(response))
          .build();
    } catch (IOException e) {
      return new MockResponse.Builder().code(500).body(e.toString()).build();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

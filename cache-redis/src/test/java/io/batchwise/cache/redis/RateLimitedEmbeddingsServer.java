package io.batchwise.cache.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible embeddings server on loopback that enforces a requests-per-minute limit the way a
 * provider does: a request beyond the limit in its sliding window is answered 429 with
 * {@code Retry-After}. It records the arrival of every request and whether it was refused.
 */
final class RateLimitedEmbeddingsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final long windowNanos;
  private final int perWindow;
  private final Deque<Long> accepted = new ArrayDeque<>();
  private final List<Long> arrivals = new ArrayList<>();
  private int refused;

  /**
   * @param window the sliding window the limit is enforced over
   * @param perWindow the requests accepted in any such window
   */
  RateLimitedEmbeddingsServer(Duration window, int perWindow) throws IOException {
    this.windowNanos = window.toNanos();
    this.perWindow = perWindow;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start();
  }

  String baseUrl() {
    return server.url("/v1").toString();
  }

  /** Forgets every request so far: counting and the limit start afresh. */
  synchronized void reset() {
    arrivals.clear();
    accepted.clear();
    refused = 0;
  }

  /** The arrival of every request, {@link System#nanoTime()}, in order. */
  synchronized List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  synchronized int refused() {
    return refused;
  }

  /** The most requests that arrived in any window of {@code window}. */
  synchronized int mostIn(Duration window) {
    int most = 0;
    for (int i = 0, j = 0; i < arrivals.size(); i++) {
      while (arrivals.get(i) - arrivals.get(j) >= window.toNanos()) {
        j++;
      }
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  private synchronized boolean admit(long now) {
    arrivals.add(now);
    while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
      accepted.pollFirst();
    }
    if (accepted.size() >= perWindow) {
      refused++;
      return false;
    }
    accepted.addLast(now);
    return true;
  }

  private MockResponse answer(RecordedRequest request) {
    if (!admit(System.nanoTime())) {
      return new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
          .body("{\"error\":{\"message\":\"rate limit reached\",\"type\":\"requests\"}}").build();
    }
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      int dimensions = body.path("dimensions").asInt(8);
      ObjectNode response = JSON.createObjectNode();
      response.put("object", "list");
      ArrayNode data = response.putArray("data");
      JsonNode input = body.get("input");
      for (int i = 0; i < input.size(); i++) {
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", i);
        ArrayNode vector = item.putArray("embedding");
        int h = input.get(i).asText().hashCode();
        for (int d = 0; d < dimensions; d++) {
          vector.add(((h >>> d) & 7) + d + 1f);
        }
      }
      response.put("model", body.path("model").asText());
      response.putObject("usage").put("prompt_tokens", input.size()).put("total_tokens", input.size());
      return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(response)).build();
    } catch (IOException | RuntimeException e) {
      return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad request\"}}").build();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

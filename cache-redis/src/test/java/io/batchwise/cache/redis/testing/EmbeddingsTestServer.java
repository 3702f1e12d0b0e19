package io.batchwise.cache.redis.testing;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible embeddings server on loopback (a real HTTP server) for the tests of modules
 * that run several Batchwise instances against one service: the vector of a text is a function of
 * the text alone, so every process gets the same one; it can enforce a requests-per-window limit
 * the way a provider does (a request beyond it is answered 429 with {@code Retry-After}); it
 * records each request's arrival, the requests it refused, and every {@code Authorization} header
 * it was sent.
 */
public final class EmbeddingsTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final Function<String, float[]> vectorOf;
  private final long windowNanos;
  private final int perWindow;
  private final Deque<Long> accepted = new ArrayDeque<>();
  private final List<Long> arrivals = new ArrayList<>();
  private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
  private int refused;
  private long inputs;

  /**
   * Starts a server without a limit.
   *
   * @param vectorOf the vector of a text
   * @return the server
   * @throws IOException when it cannot listen
   */
  public static EmbeddingsTestServer start(Function<String, float[]> vectorOf) throws IOException {
    return new EmbeddingsTestServer(vectorOf, Duration.ofSeconds(1), Integer.MAX_VALUE);
  }

  /**
   * Starts a server that accepts at most {@code perWindow} requests in any sliding {@code window}.
   *
   * @param vectorOf the vector of a text
   * @param window the window the limit is enforced over
   * @param perWindow the requests accepted in any such window
   * @return the server
   * @throws IOException when it cannot listen
   */
  public static EmbeddingsTestServer limited(
      Function<String, float[]> vectorOf, Duration window, int perWindow) throws IOException {
    return new EmbeddingsTestServer(vectorOf, window, perWindow);
  }

  private EmbeddingsTestServer(Function<String, float[]> vectorOf, Duration window, int perWindow)
      throws IOException {
    this.vectorOf = vectorOf;
    this.windowNanos = window.toNanos();
    this.perWindow = perWindow;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
    server.start();
  }

  /**
   * @return {@code http://127.0.0.1:PORT/v1}
   */
  public String baseUrl() {
    return server.url("/v1").toString();
  }

  /**
   * @return the arrival of every request, {@link System#nanoTime()}, in order
   */
  public synchronized List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  /**
   * @return the requests answered 429
   */
  public synchronized int refused() {
    return refused;
  }

  /**
   * @return the inputs embedded
   */
  public synchronized long inputs() {
    return inputs;
  }

  /**
   * @return every distinct {@code Authorization} header, {@code (none)} for a request without one
   */
  public Set<String> authorizations() {
    return Set.copyOf(authorizations);
  }

  /** Forgets every request so far: counting and the limit start afresh. */
  public synchronized void reset() {
    arrivals.clear();
    accepted.clear();
    refused = 0;
    inputs = 0;
  }

  /**
   * The most requests that arrived in any window.
   *
   * @param window the window's length
   * @return the count
   */
  public synchronized int mostIn(Duration window) {
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

  private synchronized void embedded(int count) {
    inputs += count;
  }

  private MockResponse answer(RecordedRequest request) {
    String authorization = request.getHeaders().get("Authorization");
    authorizations.add(authorization == null ? "(none)" : authorization);
    if (!admit(System.nanoTime())) {
      return new MockResponse.Builder()
          .code(429)
          .addHeader("Retry-After", "1")
          .body("{\"error\":{\"message\":\"rate limit reached\",\"type\":\"requests\"}}")
          .build();
    }
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      ObjectNode response = JSON.createObjectNode();
      response.put("object", "list");
      ArrayNode data = response.putArray("data");
      JsonNode input = body.get("input");
      for (int i = 0; i < input.size(); i++) {
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", i);
        ArrayNode vector = item.putArray("embedding");
        for (float f : vectorOf.apply(input.get(i).asText())) {
          vector.add(f);
        }
      }
      embedded(input.size());
      response.put("model", body.path("model").asText());
      response
          .putObject("usage")
          .put("prompt_tokens", input.size())
          .put("total_tokens", input.size());
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(response))
          .build();
    } catch (IOException | RuntimeException e) {
      return new MockResponse.Builder()
          .code(400)
          .body("{\"error\":{\"message\":\"bad request\"}}")
          .build();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

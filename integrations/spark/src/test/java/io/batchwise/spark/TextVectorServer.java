package io.batchwise.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible embeddings server on loopback whose vector is a function of the text alone, so
 * that any process embedding a text gets the same vector. It counts requests and inputs, and records
 * every {@code Authorization} header it was sent.
 */
final class TextVectorServer implements AutoCloseable {
  static final int DIMENSIONS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger inputs = new AtomicInteger();
  final Set<String> authorizations = ConcurrentHashMap.newKeySet();

  TextVectorServer() throws IOException {
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

  /** The vector of a text. */
  static float[] vectorOf(String text) {
    float[] v = new float[DIMENSIONS];
    int h = text.hashCode();
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] = ((h >>> (3 * d)) & 63) / 7f + d + 0.25f;
    }
    return v;
  }

  private MockResponse answer(RecordedRequest request) {
    requests.incrementAndGet();
    String authorization = request.getHeaders().get("Authorization");
    authorizations.add(authorization == null ? "(none)" : authorization);
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      ObjectNode response = JSON.createObjectNode();
      response.put("object", "list");
      ArrayNode data = response.putArray("data");
      JsonNode input = body.get("input");
      for (int i = 0; i < input.size(); i++) {
        inputs.incrementAndGet();
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", i);
        ArrayNode vector = item.putArray("embedding");
        for (float f : vectorOf(input.get(i).asText())) {
          vector.add(f);
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

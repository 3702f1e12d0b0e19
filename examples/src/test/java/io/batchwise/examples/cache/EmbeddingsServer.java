package io.batchwise.examples.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible embeddings server on loopback (a real HTTP server) that serves its own
 * model: a text's vector depends on the server's {@code salt}, the requested model and dimensions
 * and the text, so two servers with different salts serve different vectors under one model name.
 * It records every input it is sent, signals each request's arrival, and can hold its answers.
 */
final class EmbeddingsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final int salt;

  /** Every input received, in arrival order. */
  final List<String> inputs = new CopyOnWriteArrayList<>();

  /** Counted down as each request arrives, before it is answered. */
  volatile CountDownLatch arrived = new CountDownLatch(1);

  /** How long each answer's headers are held back, in milliseconds. */
  volatile long answerDelayMillis;

  EmbeddingsServer(int salt) throws IOException {
    this.salt = salt;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
    server.start();
  }

  /** The base URL, {@code http://127.0.0.1:PORT/v1}. */
  String baseUrl() {
    return server.url("/v1").toString();
  }

  /** The vector this server gives a text. */
  float[] vectorOf(String model, int dimensions, String text) {
    float[] v = new float[dimensions];
    int h = 31 * (31 * salt + model.hashCode()) + text.hashCode();
    for (int d = 0; d < dimensions; d++) {
      v[d] = ((h >>> (d % 29)) & 15) + d * 0.5f + 1;
    }
    return v;
  }

  private MockResponse answer(RecordedRequest request) {
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      String model = body.path("model").asText("deployment");
      int dimensions = body.path("dimensions").asInt(8);
      ObjectNode response = JSON.createObjectNode();
      response.put("object", "list");
      ArrayNode data = response.putArray("data");
      JsonNode input = body.get("input");
      for (int i = 0; i < input.size(); i++) {
        inputs.add(input.get(i).asText());
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", i);
        ArrayNode vector = item.putArray("embedding");
        for (float f : vectorOf(model, dimensions, input.get(i).asText())) {
          vector.add(f);
        }
      }
      response.put("model", model);
      response
          .putObject("usage")
          .put("prompt_tokens", input.size())
          .put("total_tokens", input.size());
      arrived.countDown();
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/json")
          .headersDelay(answerDelayMillis, TimeUnit.MILLISECONDS)
          .body(JSON.writeValueAsString(response))
          .build();
    } catch (IOException | RuntimeException e) {
      return new MockResponse.Builder()
          .code(400)
          .body("{\"error\":{\"message\":\"" + e + "\"}}")
          .build();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

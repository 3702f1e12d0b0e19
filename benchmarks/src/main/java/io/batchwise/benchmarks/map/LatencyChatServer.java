package io.batchwise.benchmarks.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.benchmarks.openai.LoopbackHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} endpoint on loopback whose every answer
 * takes at least the injected latency, counted from the moment the request arrives, whatever the
 * number of items in it: at these sizes a model's time per request is dominated by its fixed costs.
 * It answers each item of the mapper's prompt (one JSON line per item, with its {@code id} and
 * {@code text}) by id with {@link #answer}, a function of the item alone, and counts requests,
 * items and the most items one request carried.
 */
final class LatencyChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoopbackHttpServer server;
  private final long latencyNanos;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger items = new AtomicInteger();
  private final AtomicInteger largestRequest = new AtomicInteger();

  /**
   * Starts the server on a free loopback port.
   *
   * @param latencyMillis the least time each answer takes
   * @throws IOException when no port can be bound
   */
  LatencyChatServer(long latencyMillis) throws IOException {
    this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
    this.server = new LoopbackHttpServer(this::handle);
  }

  /**
   * @return the base URL, {@code http://127.0.0.1:PORT/v1}
   */
  String baseUrl() {
    return "http://"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + server.port()
        + "/v1";
  }

  /** Forgets the counts. */
  void resetCounts() {
    requests.set(0);
    items.set(0);
    largestRequest.set(0);
  }

  /**
   * @return requests answered since the last reset
   */
  int requests() {
    return requests.get();
  }

  /**
   * @return items answered since the last reset, over every request
   */
  int items() {
    return items.get();
  }

  /**
   * @return the most items one request carried since the last reset
   */
  int largestRequest() {
    return largestRequest.get();
  }

  /**
   * The answer to an item: its length class.
   *
   * @param text the item
   * @return {@code {"size":"short"|"medium"|"long"}}
   */
  static String answer(String text) {
    String size = text.length() < 80 ? "short" : text.length() < 200 ? "medium" : "long";
    return "{\"size\":\"" + size + "\"}";
  }

  private LoopbackHttpServer.Response handle(String method, String path, byte[] body, long arrived)
      throws IOException, InterruptedException {
    if (!method.equals("POST") || !path.equals("/v1/chat/completions")) {
      return response(404, "{\"error\":{\"message\":\"no " + method + " " + path + " here\"}}");
    }
    JsonNode request = JSON.readTree(body);
    String user = request.path("messages").path(1).path("content").asText();
    ArrayNode answers = JSON.createArrayNode();
    for (String line : user.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode item = JSON.readTree(line);
        answers
            .addObject()
            .put("id", item.path("id").asText())
            .set("answer", JSON.readTree(answer(item.path("text").asText())));
      }
    }
    String content = JSON.createObjectNode().set("answers", answers).toString();
    ObjectNode reply =
        JSON.createObjectNode()
            .put("object", "chat.completion")
            .put("model", request.path("model").asText());
    ObjectNode choice =
        reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", content);
    // about four characters a token: the mapper corrects its predictions by these, as by a real
    // server's
    reply
        .putObject("usage")
        .put("prompt_tokens", user.length() / 4)
        .put("completion_tokens", content.length() / 4);
    requests.incrementAndGet();
    items.addAndGet(answers.size());
    largestRequest.accumulateAndGet(answers.size(), Math::max);
    long rest = latencyNanos - (System.nanoTime() - arrived);
    if (rest > 0) {
      TimeUnit.NANOSECONDS.sleep(rest);
    }
    return response(200, reply.toString());
  }

  private static LoopbackHttpServer.Response response(int status, String json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    return new LoopbackHttpServer.Response(status, out);
  }

  @Override
  public void close() {
    server.close();
  }
}

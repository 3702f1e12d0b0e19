package io.batchwise.examples.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OpenAI-compatible chat server on loopback for the {@code classify} example and the
 * command line's tests: {@code POST /v1/chat/completions} answers every item of a request as the
 * mapper asks ({@code {"answers": [{"id", "answer"}]}}), deterministically — the answer is a
 * function of the item and the labels the request offers. It picks the label whose keywords the
 * item mentions most (it knows keywords for the sample corpus's topics, and uses any other label's
 * own name), breaking ties by the label's order and falling back to a hash of the item when nothing
 * matches. The labels come from the answer schema in the request's system message ({@code
 * {"LABEL_FIELD": {"enum": [...]}}}); an answer is then {@code {"LABEL_FIELD": label}}, else the
 * label as a JSON string. It counts requests and reports token usage counted with {@code
 * o200k_base}. No key is checked and nothing leaves the machine.
 */
public final class LoopbackChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The answers' schema as the mapper writes it into the system message: keys sorted, compact. */
  private static final Pattern ENUM =
      Pattern.compile("\"([A-Za-z_][A-Za-z0-9_]*)\":\\{\"enum\":\\[([^\\]]*)]");

  private static final Map<String, List<String>> KEYWORDS =
      Map.ofEntries(
          Map.entry(
              "astronomy",
              List.of(
                  "star",
                  "planet",
                  "galax",
                  "telescope",
                  "orbit",
                  "eclipse",
                  "solar",
                  "moon",
                  "comet")),
          Map.entry(
              "chemistry",
              List.of(
                  "reaction",
                  "oxygen",
                  "sodium",
                  "molecul",
                  "atom",
                  "acid",
                  "enzyme",
                  "chemical",
                  "dissolv")),
          Map.entry(
              "cooking",
              List.of("cook", "bak", "yeast", "dough", "recipe", "oven", "boil", "flour", "sauce")),
          Map.entry(
              "databases",
              List.of(
                  "database",
                  "table",
                  "query",
                  "queries",
                  "column",
                  "replica",
                  "transaction",
                  "sql",
                  "row",
                  "backup",
                  "schema",
                  "record")),
          Map.entry(
              "finance",
              List.of(
                  "interest",
                  "money",
                  "market",
                  "bond",
                  "price",
                  "percent",
                  "invest",
                  "stock",
                  "loan")),
          Map.entry(
              "gardening",
              List.of(
                  "plant", "garden", "soil", "root", "tomato", "seed", "compost", "prun", "bloom")),
          Map.entry(
              "geology",
              List.of(
                  "rock",
                  "volcan",
                  "mineral",
                  "plate",
                  "erosion",
                  "magma",
                  "sediment",
                  "crust",
                  "earthquake")),
          Map.entry(
              "health",
              List.of(
                  "blood",
                  "muscle",
                  "exercise",
                  "heart",
                  "sleep",
                  "diet",
                  "vitamin",
                  "activity",
                  "body")),
          Map.entry(
              "history",
              List.of(
                  "century",
                  "revolution",
                  "empire",
                  "king",
                  "war",
                  "ancient",
                  "medieval",
                  "europe",
                  "trade")),
          Map.entry(
              "music",
              List.of(
                  "music",
                  "beat",
                  "note",
                  "tempo",
                  "chord",
                  "triad",
                  "pitch",
                  "melod",
                  "rhythm",
                  "scale",
                  "instrument",
                  "song",
                  "guitar",
                  "piano",
                  "harmon")),
          Map.entry(
              "networking",
              List.of(
                  "network", "traffic", "address", "server", "latency", "port", "domain", "packet",
                  "router")),
          Map.entry(
              "oceans",
              List.of(
                  "ocean", "whale", "tide", "sea", "coast", "reef", "marine", "wave", "current")),
          Map.entry(
              "pets",
              List.of("pet", "dog", "cat", "vet", "treat", "pupp", "kitten", "litter", "leash")),
          Map.entry(
              "photography",
              List.of(
                  "shutter",
                  "aperture",
                  "photo",
                  "camera",
                  "lens",
                  "exposure",
                  "subject",
                  "focus",
                  "shadow")),
          Map.entry(
              "software",
              List.of(
                  "program",
                  "test",
                  "software",
                  "code",
                  "version",
                  "memory",
                  "object",
                  "function",
                  "bug",
                  "log",
                  "debug",
                  "deploy",
                  "compil",
                  "developer")),
          Map.entry(
              "sports",
              List.of(
                  "player",
                  "game",
                  "training",
                  "stroke",
                  "point",
                  "tennis",
                  "ball",
                  "team",
                  "match")),
          Map.entry(
              "travel",
              List.of(
                  "travel",
                  "trip",
                  "train",
                  "ship",
                  "flight",
                  "luggage",
                  "passport",
                  "hotel",
                  "journey")),
          Map.entry(
              "weather",
              List.of(
                  "weather",
                  "cloud",
                  "rain",
                  "vapour",
                  "wind",
                  "storm",
                  "humid",
                  "forecast",
                  "temperature")));

  private final HttpServer server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "loopback-chat");
            t.setDaemon(true);
            return t;
          });
  private final Tokenizer tokenizer = TokenizerRegistry.standalone().get("o200k_base");
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger items = new AtomicInteger();

  /**
   * Starts the server on a free loopback port.
   *
   * @throws IOException when no port can be bound
   */
  public LoopbackChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * @return the base URL to configure as {@code openai.base-url}, e.g. {@code
   *     http://127.0.0.1:41234/v1}
   */
  public String baseUrl() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort()
        + "/v1";
  }

  /**
   * @return the requests answered so far
   */
  public int requests() {
    return requests.get();
  }

  /**
   * @return the items answered so far, over every request
   */
  public int items() {
    return items.get();
  }

  /**
   * The label this server gives an item.
   *
   * @param labels the labels offered, in order
   * @param text the item
   * @return the label
   */
  public static String label(List<String> labels, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    String best = null;
    int bestScore = 0;
    for (String label : labels) {
      int score = 0;
      for (String keyword : KEYWORDS.getOrDefault(label, List.of(label.toLowerCase(Locale.ROOT)))) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(keyword)).matcher(lower);
        while (m.find()) {
          score++;
        }
      }
      if (score > bestScore) {
        best = label;
        bestScore = score;
      }
    }
    return best != null ? best : labels.get(Math.floorMod(text.hashCode(), labels.size()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, 405, "{\"error\":{\"message\":\"POST only\"}}");
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in);
      }
      String system = body.path("messages").path(0).path("content").asText();
      String user = body.path("messages").path(1).path("content").asText();
      Matcher schema = ENUM.matcher(system);
      String field = null;
      List<String> labels = new ArrayList<>(KEYWORDS.keySet().stream().sorted().toList());
      if (schema.find()) {
        field = schema.group(1);
        labels = new ArrayList<>();
        for (JsonNode label : JSON.readTree("[" + schema.group(2) + "]")) {
          labels.add(label.asText());
        }
      }
      ArrayNode answers = JSON.createArrayNode();
      for (String line : user.split("\n")) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonNode item = JSON.readTree(line);
        String label = label(labels, item.path("text").asText());
        ObjectNode entry = answers.addObject().put("id", item.path("id").asText());
        if (field != null) {
          entry.putObject("answer").put(field, label);
        } else {
          entry.put("answer", label);
        }
        items.incrementAndGet();
      }
      String content = JSON.createObjectNode().set("answers", answers).toString();
      ObjectNode reply =
          JSON.createObjectNode()
              .put("id", "chatcmpl-loopback")
              .put("object", "chat.completion")
              .put("model", body.path("model").asText());
      ObjectNode choice =
          reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", content);
      int prompt = tokenizer.count(system) + tokenizer.count(user);
      int completion = tokenizer.count(content);
      reply
          .putObject("usage")
          .put("prompt_tokens", prompt)
          .put("completion_tokens", completion)
          .put("total_tokens", prompt + completion);
      requests.incrementAndGet();
      send(exchange, 200, reply.toString());
    } catch (RuntimeException e) {
      send(
          exchange,
          400,
          JSON.createObjectNode()
              .set(
                  "error",
                  JSON.createObjectNode()
                      .put("message", "cannot read the request: " + e.getMessage()))
              .toString());
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

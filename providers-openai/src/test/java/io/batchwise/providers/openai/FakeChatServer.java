package io.batchwise.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.providers.openai.internal.TiktokenEncodings;
import io.batchwise.spi.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * An OpenAI-compatible chat endpoint for MockWebServer ({@code /chat/completions} and {@code
 * /responses}) whose answers are a function of the instruction and the item ({@link #answer}), and
 * which misbehaves on cue: each {@link Fault} fires once, on the first request that carries its
 * trigger item, whatever order concurrent requests arrive in. It answers the entries of a request
 * in reverse order (so answers must be mapped back by id), counts each request's prompt with
 * o200k_base, and records what it saw. Thread-safe.
 */
final class FakeChatServer extends Dispatcher {
  /** The labels an answer takes. */
  static final List<String> LABELS = List.of("alpha", "beta", "gamma");

  /** The schema {@link #answer}s match. */
  static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"label\":{\"enum\":[\"alpha\",\"beta\",\"gamma\"]},"
          + "\"chars\":{\"type\":\"integer\"}},\"required\":[\"label\",\"chars\"],\"additionalProperties\":false}";

  /** How the server misbehaves once. */
  enum Kind {
    /** 429 with {@code retry-after-ms} and rate-limit headers. */
    RATE_LIMITED,
    /** 503. */
    SERVER_ERROR,
    /** 200 whose body stops half-way and the connection closes. */
    TRUNCATED_BODY,
    /** Answers only the entries at even positions. */
    SOME_IDS,
    /** Answers the trigger item's id twice, differently. */
    DUPLICATE_ID,
    /** The model's text is not JSON. */
    INVALID_JSON,
    /** The trigger item's answer breaks the schema. */
    SCHEMA_VIOLATION,
    /** The text is cut half-way with {@code finish_reason: length}. */
    CUT_OFF,
    /** 400 {@code context_length_exceeded}. */
    CONTEXT_LENGTH
  }

  /**
   * One misbehaviour.
   *
   * @param kind what happens
   * @param trigger the item whose first request it happens to
   */
  record Fault(Kind kind, String trigger) {}

  /**
   * What one request carried.
   *
   * @param path the request path
   * @param body the request JSON
   * @param items the items' texts, in prompt order
   * @param promptTokens the system and user text counted with o200k_base
   * @param maxTokens the answer tokens it allowed
   * @param fault the fault it got, or null
   */
  record Seen(
      String path,
      JsonNode body,
      List<String> items,
      int promptTokens,
      int maxTokens,
      Kind fault) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Tokenizer o200k = TiktokenEncodings.tokenizer("o200k_base");
  private final List<Fault> pending = new CopyOnWriteArrayList<>();
  private final Map<Kind, String> firedTriggers = new ConcurrentHashMap<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> askedPerItem = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile int window; // 0: no check of its own
  private volatile long latencyMillis;
  private volatile int holdFrom = Integer.MAX_VALUE;
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private volatile boolean rejectJsonSchema;

  /**
   * The answer to {@code text} under {@code instruction}: a label chosen by a hash of both, and the
   * text's length.
   *
   * @param instruction the instruction
   * @param text the item
   * @return the answer
   */
  static ObjectNode answer(String instruction, String text) {
    int h = (instruction + '\u0000' + text).hashCode();
    return JSON.createObjectNode()
        .put("label", LABELS.get(Math.floorMod(h, LABELS.size())))
        .put("chars", text.length());
  }

  /**
   * @return {@link #answer} as compact JSON text
   */
  static String answerText(String instruction, String text) {
    return answer(instruction, text).toString();
  }

  FakeChatServer faults(Fault... faults) {
    pending.addAll(List.of(faults));
    return this;
  }

  /**
   * Refuses with {@code context_length_exceeded} any request whose prompt and max tokens exceed
   * this.
   */
  FakeChatServer window(int tokens) {
    this.window = tokens;
    return this;
  }

  FakeChatServer latencyMillis(long ms) {
    this.latencyMillis = ms;
    return this;
  }

  /**
   * Holds the answer to every request from the {@code first}-th on (counting from 1, in the order
   * they arrive) until {@code release} opens, or a minute has passed so that a test that fails
   * before opening it still ends: those requests stay unanswered for as long as the test needs,
   * whatever the machine's speed.
   *
   * @param first the number of the first request held
   * @param release opened by the test
   * @return this
   */
  FakeChatServer holdFrom(int first, CountDownLatch release) {
    this.hold = release;
    this.holdFrom = first;
    return this;
  }

  /**
   * Answers 400 to {@code response_format: json_schema}, as servers without structured output do.
   */
  FakeChatServer rejectJsonSchema() {
    this.rejectJsonSchema = true;
    return this;
  }

  List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  int requests() {
    return seen.size();
  }

  /**
   * @return how many requests carried each item
   */
  Map<String, Integer> askedPerItem() {
    Map<String, Integer> m = new HashMap<>();
    askedPerItem.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /**
   * @return the faults that have not fired
   */
  List<Fault> unfired() {
    return List.copyOf(pending);
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      return respond(request);
    } catch (IOException | RuntimeException e) {
      return new MockResponse.Builder()
          .code(400)
          .body("{\"error\":{\"message\":\"the fake could not read the request: " + e + "\"}}")
          .build();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private MockResponse respond(RecordedRequest request) throws IOException, InterruptedException {
    String path = request.getUrl().encodedPath();
    JsonNode body = JSON.readTree(request.getBody().utf8());
    boolean chat = path.endsWith("/chat/completions");
    String system =
        chat
            ? body.path("messages").path(0).path("content").asText()
            : body.path("instructions").asText();
    String user =
        chat ? body.path("messages").path(1).path("content").asText() : body.path("input").asText();
    int maxTokens =
        body.path(
                chat
                    ? (body.has("max_tokens") ? "max_tokens" : "max_completion_tokens")
                    : "max_output_tokens")
            .asInt(-1);
    String instruction = system.split("\n\n", 2)[0];
    List<String> ids = new ArrayList<>();
    List<String> items = new ArrayList<>();
    for (String line : user.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode item = JSON.readTree(line);
        ids.add(item.path("id").asText());
        items.add(item.path("text").asText());
      }
    }
    int promptTokens = o200k.count(system) + o200k.count(user);
    Kind fault = fire(items);
    int number;
    synchronized (seen) {
      seen.add(new Seen(path, body, items, promptTokens, maxTokens, fault));
      number = seen.size();
    }
    for (String item : items) {
      askedPerItem.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
    }
    if (latencyMillis > 0) {
      Thread.sleep(latencyMillis); // after recording: a request counts from when it arrives
    }
    if (number >= holdFrom) {
      hold.await(1, TimeUnit.MINUTES);
    }
    if (rejectJsonSchema && body.toString().contains("\"json_schema\"")) {
      return error(
          400,
          "invalid_request_error",
          null,
          "response_format json_schema is not supported by this server");
    }
    if (fault == Kind.CONTEXT_LENGTH || (window > 0 && promptTokens + maxTokens > window)) {
      return error(
          400,
          "invalid_request_error",
          "context_length_exceeded",
          "This model's maximum context length is "
              + window
              + " tokens. However, you requested "
              + (promptTokens + maxTokens)
              + " tokens.");
    }
    if (fault == Kind.RATE_LIMITED) {
      return error(429, "rate_limit_exceeded", null, "Rate limit reached")
          .newBuilder()
          .addHeader("retry-after-ms", "5")
          .addHeader("x-ratelimit-limit-requests", "100000")
          .addHeader("x-ratelimit-remaining-requests", "99999")
          .build();
    }
    if (fault == Kind.SERVER_ERROR) {
      return error(503, "server_error", null, "The server is overloaded");
    }
    ArrayNode entries = JSON.createArrayNode();
    for (int k = ids.size() - 1; k >= 0; k--) {
      if (fault == Kind.SOME_IDS && k % 2 == 1) {
        continue;
      }
      ObjectNode answer = answer(instruction, items.get(k));
      if (fault == Kind.SCHEMA_VIOLATION && items.get(k).equals(firedTriggers.get(fault))) {
        answer.put("label", "none of these");
      }
      entries.addObject().put("id", ids.get(k)).set("answer", answer);
      if (fault == Kind.DUPLICATE_ID && items.get(k).equals(firedTriggers.get(fault))) {
        entries
            .addObject()
            .put("id", ids.get(k))
            .set("answer", answer(instruction + "?", items.get(k)));
      }
    }
    String content = JSON.createObjectNode().set("answers", entries).toString();
    boolean cut = false;
    if (fault == Kind.INVALID_JSON) {
      content =
          "Sure! Here are the answers you asked for: " + content.substring(0, content.length() / 3);
    } else if (fault == Kind.CUT_OFF) {
      content = content.substring(0, content.length() / 2);
      cut = true;
    }
    int completionTokens = o200k.count(content);
    String reply =
        chat
            ? chatReply(body, content, cut, promptTokens, completionTokens)
            : responsesReply(body, content, cut, promptTokens, completionTokens);
    MockResponse.Builder ok =
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(reply);
    if (fault == Kind.TRUNCATED_BODY) {
      ok.throttleBody(reply.getBytes(StandardCharsets.UTF_8).length / 2, 10, TimeUnit.MILLISECONDS)
          .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
    }
    return ok.build();
  }

  /** The fault due for a request of these items, removed so that it fires once; null for none. */
  private synchronized Kind fire(List<String> items) {
    for (Fault f : pending) {
      if (items.contains(f.trigger())) {
        pending.remove(f);
        firedTriggers.put(f.kind(), f.trigger());
        return f.kind();
      }
    }
    return null;
  }

  private static String chatReply(
      JsonNode body, String content, boolean cut, int prompt, int completion) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-fake")
            .put("object", "chat.completion")
            .put("model", body.path("model").asText());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", cut ? "length" : "stop");
    ObjectNode usage =
        root.putObject("usage")
            .put("prompt_tokens", prompt)
            .put("completion_tokens", completion)
            .put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
    return root.toString();
  }

  private static String responsesReply(
      JsonNode body, String content, boolean cut, int prompt, int completion) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "resp_fake")
            .put("object", "response")
            .put("model", body.path("model").asText())
            .put("status", cut ? "incomplete" : "completed");
    if (cut) {
      root.putObject("incomplete_details").put("reason", "max_output_tokens");
    }
    ObjectNode message =
        root.putArray("output").addObject().put("type", "message").put("role", "assistant");
    message.putArray("content").addObject().put("type", "output_text").put("text", content);
    ObjectNode usage =
        root.putObject("usage").put("input_tokens", prompt).put("output_tokens", completion);
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    return root.toString();
  }

  private static MockResponse error(int status, String type, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("message", message).put("type", type);
    if (code != null) {
      error.put("code", code);
    } else {
      error.putNull("code");
    }
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(root.toString())
        .build();
  }
}

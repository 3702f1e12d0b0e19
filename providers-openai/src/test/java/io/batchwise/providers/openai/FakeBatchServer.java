package io.batchwise.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okhttp3.MultipartReader;
import okio.Buffer;
import okio.BufferedSink;

/**
 * OpenAI's Batch API on loopback, for MockWebServer: {@code /v1/files} (multipart upload with
 * {@code purpose=batch}, {@code GET /files/{id}/content}, {@code DELETE /files/{id}}) and {@code
 * /v1/batches} (create, retrieve, cancel) with the real JSON shapes.
 *
 * <p>Each retrieve moves a batch one step: {@code validating → in_progress → finalizing →
 * completed} (or, on cue, to {@code failed} with validation errors, to {@code expired} with half
 * its requests answered, or to {@code cancelled} as if cancelled elsewhere); a cancel moves it to
 * {@code cancelling}, and the next retrieve to {@code cancelled} with the requests answered so far
 * (half). A batch of more than {@link #maxInputsPerBatch} inputs over all its requests fails
 * validation, as OpenAI's 50,000-input limit does. Output lines are written in a shuffled order; a
 * request whose input holds {@link #POISON} is answered 400 in the error file. Vectors are {@link
 * FakeOpenAiServer#vectorFor}, base64 or floats as each line asks. Output is generated as it is
 * downloaded, so an output larger than any heap costs the server nothing. Counts what it did.
 * Thread-safe.
 */
public final class FakeBatchServer extends Dispatcher {
  /** A request whose input contains this is refused in the error file. */
  public static final String POISON = "#poison";

  /** What a batch does besides completing. */
  public enum Cue {
    /** Fails validation with one error per line. */
    FAILED,
    /** Expires with the first half of its requests answered. */
    EXPIRED,
    /** Ends cancelled (as if from the dashboard) with the first half of its requests answered. */
    CANCELLED
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String key;
  private final Map<String, byte[]> uploads = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Output> outputs = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Batch> batches = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Queue<Cue> cues = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger retrieves = new AtomicInteger();
  private final AtomicInteger cancels = new AtomicInteger();
  private final AtomicInteger downloads = new AtomicInteger();
  private final AtomicInteger maxInputsInFlight = new AtomicInteger();
  private final AtomicLong bytesServed = new AtomicLong();
  private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
  private final Queue<Integer> failures = new ConcurrentLinkedQueue<>();
  private volatile int maxInputsPerBatch = 1000;
  private volatile boolean holdInProgress;
  private volatile int dimensions = 8;

  /**
   * @param key the API key every request must carry as {@code Authorization: Bearer}
   */
  public FakeBatchServer(String key) {
    this.key = key;
  }

  public FakeBatchServer dimensions(int d) {
    this.dimensions = d;
    return this;
  }

  public FakeBatchServer maxInputsPerBatch(int n) {
    this.maxInputsPerBatch = n;
    return this;
  }

  /** The next batch created ends as {@code cue} says instead of completing. */
  public FakeBatchServer cueNextBatch(Cue cue) {
    cues.add(cue);
    return this;
  }

  /** While true, batches stop at {@code in_progress}. */
  public FakeBatchServer holdInProgress(boolean hold) {
    this.holdInProgress = hold;
    return this;
  }

  /** The next request is answered with {@code status} and an OpenAI-style error body. */
  public FakeBatchServer failNext(int status) {
    failures.add(status);
    return this;
  }

  public int uploads() {
    return uploads.size();
  }

  public int creates() {
    return creates.get();
  }

  public int cancels() {
    return cancels.get();
  }

  public int downloads() {
    return downloads.get();
  }

  /**
   * @return the most inputs of batches not yet ended at once, as counted when a batch is created
   */
  public int maxInputsInFlight() {
    return maxInputsInFlight.get();
  }

  /**
   * @return bytes of output and error files sent
   */
  public long bytesServed() {
    return bytesServed.get();
  }

  public int retrieves() {
    return retrieves.get();
  }

  public List<String> deleted() {
    synchronized (deleted) {
      return List.copyOf(deleted);
    }
  }

  /**
   * @return files still held (uploads and outputs not deleted)
   */
  public int filesHeld() {
    return uploads.size() + outputs.size() - deleted.size();
  }

  /**
   * @return the statuses of every batch created, in order
   */
  public List<String> statuses() {
    synchronized (batches) {
      return batches.values().stream().map(b -> b.status).toList();
    }
  }

  /**
   * The vector this server gives {@code text}, as {@link FakeOpenAiServer} does.
   *
   * @param text the input
   * @param dimensions its length
   * @return the vector
   */
  public static float[] vectorFor(String text, int dimensions) {
    return FakeOpenAiServer.vectorFor(text, dimensions);
  }

  /** One request line of an input file. */
  private record Line(String customId, List<String> input, String format, String model) {}

  /** An output or error file, written as it is downloaded. */
  private record Output(
      List<String> customIds,
      Map<String, Line> lines,
      boolean errors,
      String errorCode,
      long seed) {}

  private static final class Batch {
    final String id;
    final String inputFileId;
    final List<Line> lines;
    final Cue cue;
    final long createdAt;
    String status = "validating";
    String outputFileId;
    String errorFileId;
    int completed;
    int failed;
    String validationError;

    Batch(String id, String inputFileId, List<Line> lines, Cue cue, long createdAt) {
      this.id = id;
      this.inputFileId = inputFileId;
      this.lines = lines;
      this.cue = cue;
      this.createdAt = createdAt;
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      if (!("Bearer " + key).equals(request.getHeaders().get("Authorization"))) {
        // quotes what it was sent, as a careless server might: the client must not pass it on
        return error(
            401,
            "Incorrect API key provided: " + request.getHeaders().get("Authorization"),
            "invalid_request_error");
      }
      Integer failure = failures.poll();
      if (failure != null) {
        return error(failure, "provoked failure", "server_error");
      }
      List<String> path = request.getUrl().pathSegments();
      String method = request.getMethod();
      // path: v1, files|batches, ...
      String kind = path.size() > 1 ? path.get(1) : "";
      if (kind.equals("files")) {
        if (method.equals("POST") && path.size() == 2) {
          return upload(request);
        }
        if (method.equals("GET") && path.size() == 4 && path.get(3).equals("content")) {
          return content(path.get(2));
        }
        if (method.equals("DELETE") && path.size() == 3) {
          return delete(path.get(2));
        }
      } else if (kind.equals("batches")) {
        if (method.equals("POST") && path.size() == 2) {
          return create(JSON.readTree(request.getBody().utf8()));
        }
        if (method.equals("GET") && path.size() == 3) {
          return retrieve(path.get(2));
        }
        if (method.equals("POST") && path.size() == 4 && path.get(3).equals("cancel")) {
          return cancel(path.get(2));
        }
      }
      return error(
          404,
          "no route " + method + " " + request.getUrl().encodedPath(),
          "invalid_request_error");
    } catch (IOException | RuntimeException e) {
      return error(400, "bad request: " + e, "invalid_request_error");
    }
  }

  private MockResponse upload(RecordedRequest request) throws IOException {
    String type = request.getHeaders().get("Content-Type");
    if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
      return error(400, "expected multipart/form-data", "invalid_request_error");
    }
    String boundary = type.substring(type.indexOf("boundary=") + 9);
    String purpose = null;
    byte[] file = null;
    String filename = null;
    try (MultipartReader reader =
        new MultipartReader(new Buffer().write(request.getBody()), boundary)) {
      MultipartReader.Part part;
      while ((part = reader.nextPart()) != null) {
        String disposition = part.headers().get("Content-Disposition");
        if (disposition.contains("name=\"purpose\"")) {
          purpose = part.body().readUtf8();
        } else if (disposition.contains("name=\"file\"")) {
          filename = disposition.replaceAll(".*filename=\"([^\"]*)\".*", "$1");
          file = part.body().readByteArray();
        }
      }
    }
    if (!"batch".equals(purpose) || file == null) {
      return error(
          400,
          "expected purpose=batch and a file, got purpose=" + purpose,
          "invalid_request_error");
    }
    String id = "file-" + ids.incrementAndGet();
    uploads.put(id, file);
    ObjectNode o =
        JSON.createObjectNode()
            .put("id", id)
            .put("object", "file")
            .put("bytes", file.length)
            .put("created_at", 1_700_000_000L)
            .put("filename", filename)
            .put("purpose", "batch");
    return json(200, o);
  }

  private MockResponse create(JsonNode body) throws IOException {
    String fileId = body.path("input_file_id").asText();
    byte[] file = uploads.get(fileId);
    if (file == null || deleted.contains(fileId)) {
      return error(404, "No such File object: " + fileId, "invalid_request_error");
    }
    if (!body.path("endpoint").asText().equals("/v1/embeddings")
        || !body.path("completion_window").asText().equals("24h")) {
      return error(
          400,
          "endpoint must be /v1/embeddings and completion_window 24h",
          "invalid_request_error");
    }
    List<Line> lines = new ArrayList<>();
    for (String l : new String(file, StandardCharsets.UTF_8).split("\n")) {
      if (l.isEmpty()) {
        continue;
      }
      JsonNode line = JSON.readTree(l);
      List<String> input = new ArrayList<>();
      line.path("body").path("input").forEach(t -> input.add(t.asText()));
      lines.add(
          new Line(
              line.path("custom_id").asText(),
              input,
              line.path("body").path("encoding_format").asText("float"),
              line.path("body").path("model").asText()));
      if (!line.path("url").asText().equals("/v1/embeddings")
          || !line.path("method").asText().equals("POST")) {
        return error(
            400, "line " + lines.size() + " is not POST /v1/embeddings", "invalid_request_error");
      }
    }
    String id = "batch_" + ids.incrementAndGet();
    Batch b = new Batch(id, fileId, lines, cues.poll(), 1_700_000_000L + creates.get());
    int inputs = lines.stream().mapToInt(l -> l.input().size()).sum();
    if (inputs > maxInputsPerBatch) {
      b.validationError =
          "The batch has " + inputs + " embedding inputs; the limit is " + maxInputsPerBatch;
    }
    batches.put(id, b);
    creates.incrementAndGet();
    synchronized (batches) {
      int inFlight = 0;
      for (Batch other : batches.values()) {
        if (!isTerminal(other.status)) {
          inFlight += other.lines.stream().mapToInt(l -> l.input().size()).sum();
        }
      }
      maxInputsInFlight.accumulateAndGet(inFlight, Math::max);
    }
    return json(200, shape(b));
  }

  private MockResponse retrieve(String id) {
    retrieves.incrementAndGet();
    Batch b = batches.get(id);
    if (b == null) {
      return error(404, "No such Batch object: " + id, "invalid_request_error");
    }
    synchronized (b) {
      advance(b);
      return json(200, shape(b));
    }
  }

  private MockResponse cancel(String id) {
    Batch b = batches.get(id);
    if (b == null) {
      return error(404, "No such Batch object: " + id, "invalid_request_error");
    }
    synchronized (b) {
      cancels.incrementAndGet();
      if (!isTerminal(b.status)) {
        b.status = "cancelling";
      }
      return json(200, shape(b));
    }
  }

  private static boolean isTerminal(String status) {
    return status.equals("completed")
        || status.equals("failed")
        || status.equals("expired")
        || status.equals("cancelled");
  }

  private void advance(Batch b) {
    switch (b.status) {
      case "validating" -> {
        if (b.validationError != null || b.cue == Cue.FAILED) {
          b.status = "failed";
        } else {
          b.status = "in_progress";
        }
      }
      case "in_progress" -> {
        if (holdInProgress) {
          return;
        }
        if (b.cue == Cue.EXPIRED || b.cue == Cue.CANCELLED) {
          finish(
              b,
              b.lines.size() / 2,
              b.cue == Cue.EXPIRED ? "expired" : "cancelled",
              b.cue == Cue.EXPIRED ? "batch_expired" : "batch_cancelled");
        } else {
          b.status = "finalizing";
        }
      }
      case "finalizing" -> finish(b, b.lines.size(), "completed", null);
      case "cancelling" -> finish(b, b.lines.size() / 2, "cancelled", "batch_cancelled");
      default -> {}
    }
  }

  /**
   * Ends a batch with its first {@code answered} lines run and the rest ended with {@code
   * restCode}.
   */
  private void finish(Batch b, int answered, String status, String restCode) {
    Map<String, Line> byId = new LinkedHashMap<>();
    List<String> ok = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < b.lines.size(); i++) {
      Line l = b.lines.get(i);
      byId.put(l.customId(), l);
      boolean poisoned = l.input().stream().anyMatch(t -> t.contains(POISON));
      (i < answered && !poisoned ? ok : bad).add(l.customId());
    }
    long seed = b.id.hashCode();
    if (!ok.isEmpty()) {
      b.outputFileId = "file-" + ids.incrementAndGet();
      outputs.put(b.outputFileId, new Output(ok, byId, false, null, seed));
    }
    if (!bad.isEmpty()) {
      b.errorFileId = "file-" + ids.incrementAndGet();
      outputs.put(b.errorFileId, new Output(bad, byId, true, restCode, seed + 1));
    }
    b.completed = ok.size();
    b.failed = bad.size();
    b.status = status;
  }

  private ObjectNode shape(Batch b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", b.id).put("object", "batch").put("endpoint", "/v1/embeddings");
    if (b.status.equals("failed")) {
      ObjectNode errors = o.putObject("errors").put("object", "list");
      ArrayNode data = errors.putArray("data");
      String message =
          b.validationError != null
              ? b.validationError
              : "Invalid 'model': provoked validation failure";
      data.addObject()
          .put("code", "invalid_request")
          .put("message", message)
          .put("param", "body.model")
          .put("line", 1);
    } else {
      o.putNull("errors");
    }
    o.put("input_file_id", b.inputFileId).put("completion_window", "24h").put("status", b.status);
    o.put("output_file_id", b.outputFileId).put("error_file_id", b.errorFileId);
    o.put("created_at", b.createdAt).put("expires_at", b.createdAt + 86_400);
    ObjectNode counts = o.putObject("request_counts");
    boolean validated = !b.status.equals("validating") && !b.status.equals("failed");
    counts
        .put("total", validated ? b.lines.size() : 0)
        .put("completed", b.completed)
        .put("failed", b.failed);
    o.putNull("metadata");
    return o;
  }

  private MockResponse content(String fileId) {
    Output out = outputs.get(fileId);
    if (out == null || deleted.contains(fileId)) {
      return error(404, "No such File object: " + fileId, "invalid_request_error");
    }
    downloads.incrementAndGet();
    List<String> order = new ArrayList<>(out.customIds());
    Collections.shuffle(order, new Random(out.seed()));
    int dims = dimensions;
    MockResponseBody body =
        new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            // chunked by hand: the length is not known before the lines are written
            for (String id : order) {
              byte[] line =
                  (outputLine(out.lines().get(id), out.errors(), out.errorCode(), dims) + "\n")
                      .getBytes(StandardCharsets.UTF_8);
              sink.writeUtf8(Integer.toHexString(line.length))
                  .writeUtf8("\r\n")
                  .write(line)
                  .writeUtf8("\r\n");
              bytesServed.addAndGet(line.length);
            }
            sink.writeUtf8("0\r\n\r\n");
          }
        };
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/octet-stream")
        .addHeader("Transfer-Encoding", "chunked")
        .body(body)
        .build();
  }

  private static String outputLine(Line l, boolean isError, String errorCode, int dims)
      throws IOException {
    StringBuilder s = new StringBuilder(64 + l.input().size() * dims * 22);
    s.append("{\"id\":\"batch_req_")
        .append(l.customId())
        .append("\",\"custom_id\":")
        .append(JSON.writeValueAsString(l.customId()))
        .append(",");
    boolean poisoned = l.input().stream().anyMatch(t -> t.contains(POISON));
    if (isError && !poisoned) {
      s.append("\"response\":null,\"error\":{\"code\":\"")
          .append(errorCode)
          .append("\",\"message\":\"This request could not be executed before the batch ended (")
          .append(errorCode)
          .append(").\"}}");
      return s.toString();
    }
    s.append("\"response\":{\"status_code\":")
        .append(poisoned ? 400 : 200)
        .append(",\"request_id\":\"req_")
        .append(l.customId())
        .append("\",\"body\":");
    if (poisoned) {
      s.append("{\"error\":{\"message\":\"This input was refused: it holds ")
          .append(POISON)
          .append("\",\"type\":\"invalid_request_error\",\"param\":\"input\",\"code\":null}}");
    } else {
      s.append("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < l.input().size(); i++) {
        if (i > 0) {
          s.append(',');
        }
        float[] v = FakeOpenAiServer.vectorFor(l.input().get(i), dims);
        s.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
        if (l.format().equals("base64")) {
          s.append('"').append(FakeOpenAiServer.base64(v)).append('"');
        } else {
          s.append('[');
          for (int k = 0; k < v.length; k++) {
            if (k > 0) {
              s.append(',');
            }
            s.append((double) v[k]);
          }
          s.append(']');
        }
        s.append('}');
      }
      long tokens = l.input().stream().mapToLong(t -> t.split(" ").length).sum();
      s.append("],\"model\":")
          .append(JSON.writeValueAsString(l.model()))
          .append(",\"usage\":{\"prompt_tokens\":")
          .append(tokens)
          .append(",\"total_tokens\":")
          .append(tokens)
          .append("}}");
    }
    s.append("},\"error\":null}");
    return s.toString();
  }

  private MockResponse delete(String fileId) {
    if (!uploads.containsKey(fileId) && !outputs.containsKey(fileId) || deleted.contains(fileId)) {
      return error(404, "No such File object: " + fileId, "invalid_request_error");
    }
    deleted.add(fileId);
    return json(
        200, JSON.createObjectNode().put("id", fileId).put("object", "file").put("deleted", true));
  }

  private static MockResponse json(int status, JsonNode body) {
    try {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(body))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MockResponse error(int status, String message, String type) {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    return json(status, o);
  }
}

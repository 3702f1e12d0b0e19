package io.batchwise.benchmarks.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} endpoint on loopback whose every answer takes at
 * least the injected latency: it parses the request, builds one deterministic vector per input
 * (base64 or float, as asked), then waits out the rest of the latency before answering. It counts
 * requests, inputs and the most requests it held at once. The latency counts from the moment the
 * request's first byte is read, on its connection's own thread ({@link LoopbackHttpServer}), so it
 * never queues requests behind each other or behind a dispatcher thread.
 *
 * <p>The vectors come from a pool of {@value #POOL} unit vectors made (and base64-encoded) once,
 * chosen by the text's hash: a real API computes on its own machines, while this server shares the
 * benchmark's cores with the client it measures, so its own work is kept to parsing and copying.
 */
public final class LatencyEmbeddingsServer implements AutoCloseable {
  private final LoopbackHttpServer server;
  private final JsonFactory json = new JsonFactory();
  private final long latencyNanos;
  private final int dimensions;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong inputs = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger largestRequest = new AtomicInteger();

  /** The enforced limit, or null for none. */
  private final SlidingWindowLimit limit;

  /** How many distinct vectors the server answers with (a power of two). */
  static final int POOL = 4096;

  private final float[][] pool;

  /** Each pooled vector as the bytes of its quoted base64 JSON string. */
  private final byte[][] pooledBase64;

  /**
   * Starts the server on a free loopback port.
   *
   * @param latencyMillis the least time every answer takes
   * @param dimensions the vectors' length
   * @throws IOException when no port can be bound
   */
  public LatencyEmbeddingsServer(long latencyMillis, int dimensions) throws IOException {
    this(latencyMillis, dimensions, null);
  }

  /**
   * Starts a server that enforces a requests-per-window limit the way a provider does: a request
   * beyond {@code perWindow} in any sliding {@code window} is answered 429 (and counted in {@link
   * #refused()}) before its body is parsed.
   *
   * @param latencyMillis the least time every accepted answer takes
   * @param dimensions the vectors' length
   * @param window the window the limit is enforced over
   * @param perWindow the requests accepted in any such window
   * @return the server, on a free loopback port
   * @throws IOException when no port can be bound
   */
  public static LatencyEmbeddingsServer limited(
      long latencyMillis, int dimensions, java.time.Duration window, int perWindow)
      throws IOException {
    return new LatencyEmbeddingsServer(
        latencyMillis, dimensions, new SlidingWindowLimit(window.toNanos(), perWindow));
  }

  private LatencyEmbeddingsServer(long latencyMillis, int dimensions, SlidingWindowLimit limit)
      throws IOException {
    this.limit = limit;
    this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
    this.dimensions = dimensions;
    this.pool = new float[POOL][];
    this.pooledBase64 = new byte[POOL][];
    ByteBuffer buffer = ByteBuffer.allocate(dimensions * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < POOL; i++) {
      pool[i] = pooledVector(i, dimensions);
      buffer.clear();
      buffer.asFloatBuffer().put(pool[i]);
      // encoded and quoted once here: a base64 answer is then a copy of bytes, not 1,000+
      // characters
      // escaped and encoded per vector
      pooledBase64[i] =
          ('"' + Base64.getEncoder().encodeToString(buffer.array()) + '"')
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    this.server = new LoopbackHttpServer(this::handle);
  }

  /**
   * The base URL an OpenAI client is given.
   *
   * @return {@code http://127.0.0.1:PORT/v1}
   */
  public String baseUrl() {
    return "http://"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + server.port()
        + "/v1";
  }

  /** Forgets the counts. */
  public void resetCounts() {
    if (limit != null) {
      limit.reset();
    }
    requests.set(0);
    inputs.set(0);
    maxInFlight.set(0);
    largestRequest.set(0);
  }

  /**
   * Requests answered since the last {@link #resetCounts()}.
   *
   * @return the count
   */
  public int requests() {
    return requests.get();
  }

  /**
   * Requests refused (429) by the limit since the last {@link #resetCounts()}; 0 without a limit.
   *
   * @return the count
   */
  public int refused() {
    return limit == null ? 0 : limit.refused();
  }

  /**
   * The most requests, accepted or refused, that arrived in any window of this length since the
   * last {@link #resetCounts()}; 0 without a limit (arrivals are recorded only under one).
   *
   * @param window the window's length
   * @return the count
   */
  public int mostArrivalsIn(java.time.Duration window) {
    return limit == null ? 0 : limit.mostIn(window.toNanos());
  }

  long inputs() {
    return inputs.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  int largestRequest() {
    return largestRequest.get();
  }

  private LoopbackHttpServer.Response handle(String method, String path, byte[] request, long start)
      throws IOException, InterruptedException {
    if (!method.equals("POST") || !path.equals("/v1/embeddings")) {
      ByteArrayOutputStream notFound = new ByteArrayOutputStream();
      notFound.writeBytes(
          ascii("{\"error\":{\"message\":\"no " + method + " " + path + " here\"}}"));
      return new LoopbackHttpServer.Response(404, notFound);
    }
    if (limit != null && !limit.admit()) {
      ByteArrayOutputStream refusal = new ByteArrayOutputStream();
      refusal.writeBytes(
          ascii("{\"error\":{\"message\":\"rate limit reached\",\"type\":\"requests\"}}"));
      return new LoopbackHttpServer.Response(429, refusal);
    }
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      // each input's hash is all the answer needs: no String per input (the server allocates on the
      // client's cores)
      int[] hashes = new int[64];
      int count = 0;
      boolean base64 = false;
      try (JsonParser p = json.createParser(request)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("input") && v == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
              }
              hashes[count++] = hash(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
          } else if (field.equals("encoding_format")) {
            base64 = p.getText().equals("base64");
          } else {
            p.skipChildren();
          }
        }
      }
      requests.incrementAndGet();
      inputs.addAndGet(count);
      largestRequest.accumulateAndGet(count, Math::max);
      ByteArrayOutputStream body = answer(hashes, count, base64);
      long rest = latencyNanos - (System.nanoTime() - start);
      if (rest > 0) {
        TimeUnit.NANOSECONDS.sleep(rest);
      }
      return new LoopbackHttpServer.Response(200, body);
    } finally {
      // the request stops counting as in flight before its answer leaves: once the client has the
      // answer it may send its next request, which must not race this decrement
      inFlight.decrementAndGet();
    }
  }

  private ByteArrayOutputStream answer(int[] hashes, int count, boolean base64) throws IOException {
    ByteArrayOutputStream out = ANSWERS.get();
    out.reset();
    if (base64) {
      base64Answer(hashes, count, out);
    } else {
      floatAnswer(hashes, count, out);
    }
    return out;
  }

  /** {@link String#hashCode()} of the characters, without making the string. */
  private static int hash(char[] chars, int offset, int length) {
    int h = 0;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + chars[i];
    }
    return h;
  }

  /**
   * Each server thread's answer buffer, reused from request to request. The server runs in the
   * benchmark's JVM: a fresh array per answer (2.8 MB for 2,048 base64 vectors of 256 dimensions)
   * is a humongous allocation for G1, which can start a collection that pauses the client under
   * measurement too. A real API allocates on its own machines.
   */
  private static final ThreadLocal<ByteArrayOutputStream> ANSWERS =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(1 << 16));

  /** The base64 answer, assembled from the pooled bytes. */
  private void base64Answer(int[] hashes, int count, ByteArrayOutputStream out) {
    out.writeBytes(ascii("{\"object\":\"list\",\"data\":["));
    for (int i = 0; i < count; i++) {
      out.writeBytes(
          ascii(
              (i == 0 ? "" : ",")
                  + "{\"object\":\"embedding\",\"index\":"
                  + i
                  + ",\"embedding\":"));
      out.writeBytes(pooledBase64[slot(hashes[i])]);
      out.write('}');
    }
    out.writeBytes(
        ascii("],\"usage\":{\"prompt_tokens\":" + count + ",\"total_tokens\":" + count + "}}"));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** The {@code encoding_format=float} answer, written number by number. */
  private void floatAnswer(int[] hashes, int count, ByteArrayOutputStream out) throws IOException {
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < count; i++) {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeArrayFieldStart("embedding");
        for (float f : pool[slot(hashes[i])]) {
          g.writeNumber(f);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", count);
      g.writeNumberField("total_tokens", count);
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static int slot(String text) {
    return slot(text.hashCode());
  }

  /** The pooled vector for a text whose {@link String#hashCode()} is {@code hash}. */
  private static int slot(int hash) {
    return hash & (POOL - 1);
  }

  /**
   * The vector the server gives {@code text}: one of {@value #POOL} unit vectors, chosen by its
   * hash.
   *
   * @param text the input
   * @param dimensions its length
   * @return the vector
   */
  static float[] vectorFor(String text, int dimensions) {
    return pooledVector(slot(text), dimensions);
  }

  private static float[] pooledVector(int slot, int dimensions) {
    SplittableRandom random = new SplittableRandom(slot);
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

  @Override
  public void close() {
    server.close();
  }

  /** At most {@code perWindow} accepted requests in any sliding window; every arrival recorded. */
  private static final class SlidingWindowLimit {
    private final long windowNanos;
    private final int perWindow;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();
    private final List<Long> arrivals = new ArrayList<>();
    private int refused;

    SlidingWindowLimit(long windowNanos, int perWindow) {
      this.windowNanos = windowNanos;
      this.perWindow = perWindow;
    }

    synchronized boolean admit() {
      // read under the lock, so that arrivals are recorded in order
      long now = System.nanoTime();
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

    synchronized int refused() {
      return refused;
    }

    synchronized int mostIn(long nanos) {
      int most = 0;
      for (int i = 0, j = 0; i < arrivals.size(); i++) {
        while (arrivals.get(i) - arrivals.get(j) >= nanos) {
          j++;
        }
        most = Math.max(most, i - j + 1);
      }
      return most;
    }

    synchronized void reset() {
      accepted.clear();
      arrivals.clear();
      refused = 0;
    }
  }
}

package io.batchwise.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 server on loopback speaking OpenAI's {@code /v1/embeddings}, for what
 * MockWebServer cannot show: that a client hung up. Each request gets its own connection ({@code
 * Connection: close}). A request whose inputs the test chooses to hold gets no answer: the server
 * keeps reading its connection until the client closes it, and counts that; after {@code
 * holdLimitMillis} without a hang-up it answers 500. Every other request is answered at once with
 * one vector per input ({@link FakeOpenAiServer#vectorFor}). Thread-safe.
 */
final class HoldingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "holding-server");
            t.setDaemon(true);
            return t;
          });
  private final Predicate<List<String>> hold;
  private final int dimensions;
  private final int holdLimitMillis;
  private final List<List<String>> received = new ArrayList<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger hangUps = new AtomicInteger();

  /**
   * Starts the server.
   *
   * @param hold which requests (by their inputs) get no answer
   * @param dimensions the vectors' length
   * @param holdLimitMillis how long a held request waits for the client to hang up
   */
  HoldingServer(Predicate<List<String>> hold, int dimensions, int holdLimitMillis)
      throws IOException {
    this.hold = hold;
    this.dimensions = dimensions;
    this.holdLimitMillis = holdLimitMillis;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  /**
   * @return every request's inputs, in arrival order
   */
  List<List<String>> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /**
   * @return requests held without an answer so far
   */
  int held() {
    return held.get();
  }

  /**
   * @return held requests whose client closed the connection
   */
  int hangUps() {
    return hangUps.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.execute(() -> serve(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      int length = -1;
      String line = readLine(in);
      if (line == null || line.isEmpty()) {
        return;
      }
      while (!(line = readLine(in)).isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0
            && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
          length = Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      JsonNode body = JSON.readTree(in.readNBytes(length));
      List<String> inputs = new ArrayList<>();
      body.get("input").forEach(t -> inputs.add(t.asText()));
      synchronized (received) {
        received.add(inputs);
      }
      OutputStream out = socket.getOutputStream();
      if (!hold.test(inputs)) {
        respond(out, 200, answer(inputs, body.path("model").asText("m")));
        return;
      }
      held.incrementAndGet();
      socket.setSoTimeout(holdLimitMillis);
      try {
        // the client sends nothing more on this connection: a read ends only when it hangs up
        if (in.read() < 0) {
          hangUps.incrementAndGet();
        }
      } catch (SocketTimeoutException stillThere) {
        respond(out, 500, "{\"error\":{\"message\":\"held too long\"}}");
      } catch (IOException reset) {
        hangUps.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      // a broken request or connection: nothing to answer
    }
  }

  private String answer(List<String> inputs, String model) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (float f : FakeOpenAiServer.vectorFor(inputs.get(i), dimensions)) {
        vector.add(f);
      }
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", inputs.size()).put("total_tokens", inputs.size());
    return JSON.writeValueAsString(root);
  }

  private static void respond(OutputStream out, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : " Error")
            + "\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

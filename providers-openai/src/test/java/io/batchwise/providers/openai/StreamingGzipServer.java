package io.batchwise.providers.openai;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback HTTP/1.1 server that answers every request with a gzip body generated while it is
 * sent: the body is written by a {@link Body} straight into a gzip stream on the socket, so a body
 * that inflates to gigabytes costs the server a few buffers and stops as soon as the client hangs
 * up. The response has no length and closes the connection at its end. For tests of what hostile
 * answers cost a client; daemon threads, one per connection.
 */
final class StreamingGzipServer implements AutoCloseable {
  /** Writes one response body (before compression). */
  @FunctionalInterface
  interface Body {
    /**
     * @param out the uncompressed body; writing fails once the client has hung up
     * @throws IOException when the client hangs up
     */
    void write(OutputStream out) throws IOException;
  }

  private final ServerSocket socket;
  private final Map<String, Body> bodies = new ConcurrentHashMap<>();

  /** Uncompressed bytes written by all answers, counted as they go into the gzip stream. */
  private final AtomicLong written = new AtomicLong();

  StreamingGzipServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "streaming-gzip-server");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * Answers requests whose path starts with {@code /name/} with {@code body}.
   *
   * @param name the first path segment
   * @param body the body
   * @return the base URL to configure, {@code http://127.0.0.1:PORT/name/v1}
   */
  String answer(String name, Body body) {
    bodies.put(name, body);
    return "http://"
        + socket.getInetAddress().getHostAddress()
        + ":"
        + socket.getLocalPort()
        + "/"
        + name
        + "/v1";
  }

  /**
   * @return uncompressed bytes the server has generated so far
   */
  long written() {
    return written.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "streaming-gzip-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream raw = s.getOutputStream()) {
      String head = readHead(in);
      String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
      in.skipNBytes(contentLength(head));
      Body body = bodies.get(path.split("/")[1]);
      if (body == null) {
        raw.write(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      raw.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      GZIPOutputStream gzip =
          new GZIPOutputStream(raw, 1 << 16) {
            {
              def.setLevel(Deflater.BEST_SPEED); // runs of one byte compress ~1000:1 at any level
            }
          };
      body.write(
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              gzip.write(b);
              written.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              gzip.write(b, off, len);
              written.addAndGet(len);
            }
          });
      gzip.finish();
    } catch (IOException | RuntimeException e) {
      // the client hung up, as it should once a bound is crossed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended inside its head");
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

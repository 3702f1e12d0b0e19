package io.batchwise.benchmarks.openai;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server on loopback for the benchmarks' stand-in APIs (embeddings, chat): one
 * thread per connection reads each request (Content-Length or chunked body, keep-alive) and hands
 * it to the handler with the moment its first byte was read.
 *
 * <p>Why not the JDK's {@code HttpServer}: its one dispatcher thread reads every request before a
 * handler thread gets it, and on a machine with few cores, which the client under measurement keeps
 * busy, that hand-over waits for a core, so the stand-in's clock would start milliseconds after a
 * request had arrived. Here the connection's own thread wakes when the request arrives, as a remote
 * API's clock would start.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  /** Requests larger than this are refused: the benchmark's largest is a few megabytes. */
  static final int MAX_BODY_BYTES = 256 << 20;

  private static final int MAX_HEAD_BYTES = 64 << 10;

  /** Answers one request. */
  public interface Handler {
    /**
     * Answers a request.
     *
     * @param method the request method
     * @param path the request path, without the query
     * @param body the request body
     * @param arrivedNanos {@link System#nanoTime()} when the request's first byte was read
     * @return the response
     * @throws IOException when the body cannot be read as expected
     * @throws InterruptedException when the server closes during a wait
     */
    Response handle(String method, String path, byte[] body, long arrivedNanos)
        throws IOException, InterruptedException;
  }

  /**
   * A response.
   *
   * @param status the HTTP status
   * @param body the JSON body
   */
  public record Response(int status, ByteArrayOutputStream body) {}

  private final ServerSocket socket;
  private final Handler handler;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Starts the server on a free loopback port.
   *
   * @param handler answers each request
   * @throws IOException when no port can be bound
   */
  public LoopbackHttpServer(Handler handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "loopback-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * @return the port it listens on
   */
  public int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket connection;
      try {
        connection = socket.accept();
        connection.setTcpNoDelay(true);
      } catch (IOException e) {
        return; // closed
      }
      connections.add(connection);
      Thread t =
          new Thread(() -> serve(connection), "loopback-http-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket connection) {
    try (connection;
        InputStream in = new BufferedInputStream(connection.getInputStream(), 1 << 16);
        OutputStream out = connection.getOutputStream()) {
      while (!closed) {
        int first = in.read();
        if (first < 0) {
          return; // the client closed the connection
        }
        long arrived = System.nanoTime();
        String head = readHead(first, in);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3) {
          respond(out, 400, ascii("{\"error\":{\"message\":\"bad request line\"}}"));
          return;
        }
        long length = 0;
        boolean chunked = false;
        boolean close = false;
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = lines[i].substring(colon + 1).trim();
          switch (name) {
            case "content-length" -> length = Long.parseLong(value);
            case "transfer-encoding" ->
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "connection" -> close = value.equalsIgnoreCase("close");
            case "expect" -> {
              if (value.equalsIgnoreCase("100-continue")) {
                out.write(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
                out.flush();
              }
            }
            default -> {}
          }
        }
        if (length > MAX_BODY_BYTES) {
          respond(
              out,
              413,
              ascii("{\"error\":{\"message\":\"body over " + MAX_BODY_BYTES + " bytes\"}}"));
          return;
        }
        byte[] body = chunked ? readChunked(in) : in.readNBytes((int) length);
        String path =
            requestLine[1].contains("?")
                ? requestLine[1].substring(0, requestLine[1].indexOf('?'))
                : requestLine[1];
        Response response = handler.handle(requestLine[0], path, body, arrived);
        respond(out, response.status(), response.body());
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the connection broke or the server closed: nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.remove(connection);
    }
  }

  private static String readHead(int first, InputStream in) throws IOException {
    StringBuilder head = new StringBuilder(256).append((char) first);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the connection closed inside a request head");
      }
      head.append((char) c);
      int n = head.length();
      if (n >= 4
          && head.charAt(n - 1) == '\n'
          && head.charAt(n - 2) == '\r'
          && head.charAt(n - 3) == '\n'
          && head.charAt(n - 4) == '\r') {
        return head.substring(0, n - 4);
      }
      if (n > MAX_HEAD_BYTES) {
        throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
      }
    }
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers: ignored
        }
        return body.toByteArray();
      }
      if (body.size() + (long) size > MAX_BODY_BYTES) {
        throw new IOException("chunked body over " + MAX_BODY_BYTES + " bytes");
      }
      body.write(in.readNBytes(size));
      readLine(in); // the CRLF after the chunk
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    if (c < 0) {
      throw new IOException("the connection closed inside a chunked body");
    }
    return line.toString();
  }

  private static void respond(OutputStream out, int status, ByteArrayOutputStream body)
      throws IOException {
    out.write(
        ascii(
            "HTTP/1.1 "
                + status
                + " "
                + reason(status)
                + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.size()
                + "\r\n\r\n"));
    body.writeTo(out);
    out.flush();
  }

  private static void respond(OutputStream out, int status, byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(body.length);
    b.writeBytes(body);
    respond(out, status, b);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 413 -> "Payload Too Large";
      default -> "Status";
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Stops accepting and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket c : connections) {
      try {
        c.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}

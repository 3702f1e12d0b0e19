package io.batchwise.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Prometheus scrape endpoint on the JDK's own HTTP server ({@code com.sun.net.httpserver}), bound
 * to the loopback address unless told otherwise, so nothing is exposed beyond the machine by
 * accident.
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus text format.
 *   <li>{@code GET /snapshot.json}: every meter as JSON ({@link MeterSnapshot}).
 * </ul>
 *
 * <p>One daemon thread serves requests; {@link #close()} stops it and frees the port.
 *
 * <pre>{@code
 * try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(prometheusRegistry, 9464)) {
 *   System.out.println("scrape " + endpoint.uri().resolve("/metrics"));
 *   ...
 * }
 * }</pre>
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

  /** The content type of the Prometheus text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves a registry on the loopback address.
   *
   * @param registry the registry to scrape
   * @param port the TCP port, 0 for any free port (see {@link #port()})
   * @return the running endpoint
   * @throws UncheckedIOException when the port cannot be bound
   * @throws IllegalArgumentException when the port is outside 0-65535
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, int port) {
    return start(
        registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), checkPort(port)));
  }

  /**
   * Serves a registry on an explicit address (for example {@code 0.0.0.0} inside a container).
   *
   * @param registry the registry to scrape
   * @param address where to listen
   * @return the running endpoint
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static PrometheusEndpoint start(
      PrometheusMeterRegistry registry, InetSocketAddress address) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(address, "address");
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + address + ": " + e.getMessage(), e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "batchwise-metrics-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/metrics", exchange -> respond(exchange, PROMETHEUS_TEXT, registry::scrape));
    server.createContext(
        "/snapshot.json",
        exchange -> respond(exchange, "application/json", () -> MeterSnapshot.toJson(registry)));
    server.start();
    LOG.info(
        "serving metrics on http://{}:{}/metrics",
        address.getHostString(),
        server.getAddress().getPort());
    return new PrometheusEndpoint(server, executor);
  }

  private static int checkPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          "metrics port was " + port + "; it must be in [0, 65535] (0 = any free port)");
    }
    return port;
  }

  private static void respond(HttpExchange exchange, String contentType, Supplier<String> body)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getHttpContext().getPath().equals(path)) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "use GET\n");
        return;
      }
      String text;
      try {
        text = body.get();
      } catch (RuntimeException e) {
        LOG.warn("could not render {}", path, e);
        send(exchange, 500, "text/plain; charset=utf-8", "could not render metrics\n");
        return;
      }
      send(exchange, 200, contentType, text);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /**
   * The port the endpoint listens on (the one chosen when started with port 0).
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The endpoint's base address, e.g. {@code http://127.0.0.1:9464/}.
   *
   * @return the URI
   */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** Stops serving, frees the port and ends the serving thread. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "PrometheusEndpoint{" + uri() + "}";
  }
}

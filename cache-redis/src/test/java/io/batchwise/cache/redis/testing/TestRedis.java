package io.batchwise.cache.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the 6.2 binary inside embedded-redis) on a free loopback port, which tests
 * can stop and start again on the same port. No persistence.
 */
public final class TestRedis implements AutoCloseable {
  private final int port;
  private final String password;
  private RedisServer server;

  private TestRedis(int port, String password) {
    this.port = port;
    this.password = password;
  }

  /**
   * Starts a server on a free port.
   *
   * @return the running server
   */
  public static TestRedis start() {
    return start(null);
  }

  /**
   * Starts a server on a free port that requires {@code password} (or none when null).
   *
   * @param password the password
   * @return the running server
   */
  public static TestRedis start(String password) {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      TestRedis redis = new TestRedis(freePort(), password);
      try {
        redis.startServer();
        return redis;
      } catch (IOException | RuntimeException e) {
        last = e instanceof IOException ? (IOException) e : new IOException(e);
      }
    }
    throw new UncheckedIOException("could not start Redis", last);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startServer() throws IOException {
    Consumer<String> quiet = line -> {};
    var builder =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .soutListener(quiet)
            .serrListener(quiet);
    if (password != null) {
      builder.setting("requirepass " + password);
    }
    server = builder.build();
    server.start();
  }

  /** Stops the server (like a crash of the Redis host: connections are cut). */
  public synchronized void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    IOException last = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        startServer();
        return;
      } catch (IOException | RuntimeException e) {
        last = e instanceof IOException ? (IOException) e : new IOException(e);
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new UncheckedIOException("could not restart Redis on port " + port, last);
  }

  /**
   * @return whether the server runs
   */
  public boolean isActive() {
    return server.isActive();
  }

  /**
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Runs {@code action} on a fresh raw connection (for inspection and for FLUSHALL between tests).
   *
   * @param action what to do
   */
  public void withConnection(Consumer<StatefulRedisConnection<String, String>> action) {
    RedisURI uri = RedisURI.create(uri());
    if (password != null) {
      uri.setAuthentication(password.toCharArray());
    }
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      action.accept(c);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Removes every key. */
  public void flushAll() {
    withConnection(c -> c.sync().flushall());
  }

  @Override
  public void close() {
    stop();
  }
}

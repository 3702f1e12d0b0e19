package io.batchwise.cache.redis.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.spi.StoreArguments;
import io.batchwise.cache.spi.StoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A store in Redis, shared by every process that uses the same server and key prefix.
 *
 * <ul>
 *   <li>lookups are {@code MGET}s of up to {@value #CHUNK} keys; stores are {@code MSET}s of up to
 *       {@value #CHUNK} entries, or {@code SET key value PX ms} per entry when entries expire — all
 *       commands of one bulk call are written without waiting for replies (Lettuce pipelines on its
 *       connection) and awaited together;
 *   <li>the connect, and every reply, is bounded by {@code cache.redis.timeout}: a bulk call fails
 *       when Redis makes no progress for that long (so large bulks are not cut short while Redis is
 *       answering, and a stalled Redis is detected within one timeout);
 *   <li>the connection is made on first use, not at start-up, so an application starts while Redis
 *       is down; a lost connection is not retried in the background — the next call reconnects, so
 *       the {@link GuardedByteStore}'s breaker decides how often that is tried;
 *   <li>{@link #clear()} and {@link #deleteByPrefix} {@code SCAN} for keys under the key prefix and
 *       {@code UNLINK} them: never {@code FLUSHDB}, as the database may be shared.
 * </ul>
 */
final class RedisByteStore implements ByteStore {
  /**
   * Keys per MGET or UNLINK: large enough to amortize a round trip, small enough not to stall
   * Redis.
   */
  private static final int CHUNK = 1000;

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisSettings settings;
  private final String prefix;
  private final Duration timeout;
  private final RedisClient client;
  private final Object connectLock = new Object();
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private volatile boolean closed;

  RedisByteStore(RedisSettings settings) {
    this.settings = settings;
    this.prefix = settings.keyPrefix();
    this.timeout = settings.timeout();
    this.client = RedisClient.create(settings.uri());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            // replies are awaited with a progress timeout below; a per-command timer from dispatch
            // would expire the tail of a large pipelined bulk that Redis is still working through
            .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .build());
  }

  @Override
  public String id() {
    return "redis";
  }

  /** The server, without credentials. */
  String describe() {
    return settings.describe();
  }

  private RedisAsyncCommands<String, byte[]> commands() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c != null && c.isOpen()) {
      return c.async();
    }
    synchronized (connectLock) {
      if (closed) {
        throw new IllegalStateException("the Redis cache " + describe() + " is closed");
      }
      c = connection;
      if (c != null && c.isOpen()) {
        return c.async();
      }
      if (c != null) {
        c.closeAsync();
      }
      try {
        connection = client.connect(CODEC, settings.uri());
      } catch (RuntimeException e) {
        connection = null;
        throw new StoreException(
            "cannot connect to Redis at " + describe() + ": " + e.getMessage(), e);
      }
      return connection.async();
    }
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    RedisAsyncCommands<String, byte[]> redis = commands();
    List<RedisFuture<List<KeyValue<String, byte[]>>>> replies = new ArrayList<>();
    for (List<String> chunk : chunks(keys)) {
      replies.add(redis.mget(prefixed(chunk)));
    }
    await(replies, "lookup of " + keys.size() + " keys");
    for (RedisFuture<List<KeyValue<String, byte[]>>> reply : replies) {
      for (KeyValue<String, byte[]> kv : reply.toCompletableFuture().join()) {
        if (kv.hasValue()) {
          found.put(kv.getKey().substring(prefix.length()), kv.getValue());
        }
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    if (ttl != null) {
      StoreArguments.requirePositiveTtl(ttl);
    }
    if (entries.isEmpty()) {
      return;
    }
    Duration lifetime = ttl != null ? ttl : settings.ttl();
    RedisAsyncCommands<String, byte[]> redis = commands();
    List<RedisFuture<String>> replies = new ArrayList<>();
    if (lifetime == null) {
      Map<String, byte[]> chunk = new HashMap<>();
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        chunk.put(prefix + e.getKey(), e.getValue());
        if (chunk.size() == CHUNK) {
          replies.add(redis.mset(chunk));
          chunk = new HashMap<>();
        }
      }
      if (!chunk.isEmpty()) {
        replies.add(redis.mset(chunk));
      }
    } else {
      SetArgs args = SetArgs.Builder.px(Math.max(1, lifetime.toMillis()));
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        replies.add(redis.set(prefix + e.getKey(), e.getValue(), args));
      }
    }
    await(replies, "store of " + entries.size() + " values");
  }

  @Override
  public void delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    RedisAsyncCommands<String, byte[]> redis = commands();
    List<RedisFuture<Long>> replies = new ArrayList<>();
    for (List<String> chunk : chunks(keys)) {
      replies.add(redis.unlink(prefixed(chunk)));
    }
    await(replies, "delete of " + keys.size() + " keys");
  }

  @Override
  public void deleteByPrefix(String keyPrefix) {
    StoreArguments.requireKeyPrefix(keyPrefix);
    unlinkMatching(globEscape(prefix + keyPrefix) + "*", "delete by prefix");
  }

  @Override
  public void clear() {
    unlinkMatching(globEscape(prefix) + "*", "clear");
  }

  private void unlinkMatching(String pattern, String what) {
    RedisAsyncCommands<String, byte[]> redis = commands();
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(CHUNK);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      RedisFuture<KeyScanCursor<String>> page = redis.scan(cursor, args);
      await(List.of(page), what);
      KeyScanCursor<String> result = page.toCompletableFuture().join();
      if (!result.getKeys().isEmpty()) {
        await(List.of(redis.unlink(result.getKeys().toArray(new String[0]))), what);
      }
      cursor = result;
    } while (!cursor.isFinished());
  }

  /** Escapes Redis glob characters so that a key prefix matches only itself. */
  static String globEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private String[] prefixed(List<String> keys) {
    String[] out = new String[keys.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = prefix + keys.get(i);
    }
    return out;
  }

  private static List<List<String>> chunks(Collection<String> keys) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String key : new LinkedHashSet<>(keys)) {
      current.add(key);
      if (current.size() == CHUNK) {
        chunks.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  /**
   * Waits for the replies in order, each within the timeout of the previous one (Redis answers a
   * connection's commands in order, so a gap longer than the timeout means it has stalled); cancels
   * the rest on the first failure.
   */
  private void await(List<? extends Future<?>> replies, String what) {
    try {
      for (Future<?> reply : replies) {
        reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      cancel(replies);
      throw new StoreException(
          "Redis at " + describe() + ": " + what + " timed out after " + timeout, e);
    } catch (ExecutionException e) {
      cancel(replies);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(
          "Redis at " + describe() + ": " + what + " failed: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      cancel(replies);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted during " + what + " at Redis " + describe(), e);
    }
  }

  private static void cancel(List<? extends Future<?>> replies) {
    for (Future<?> f : replies) {
      f.cancel(false);
    }
  }

  @Override
  public void close() {
    synchronized (connectLock) {
      if (closed) {
        return;
      }
      closed = true;
      StatefulRedisConnection<String, byte[]> c = connection;
      if (c != null) {
        c.close();
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisByteStore{" + settings + "}";
  }
}

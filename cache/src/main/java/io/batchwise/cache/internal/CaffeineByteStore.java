package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An in-memory store on Caffeine, bounded by entries or by (estimated) bytes, with expiry after write
 * and after access and per-entry time to live.
 *
 * <p>Values that never leave the process need not be encoded: typed views put and get them decoded
 * ({@link #putDecoded}, {@link #getDecoded}), which makes a hit a hash lookup. The byte-level
 * {@link ByteStore} methods encode or decode on demand, so both kinds of access see the same entries.
 *
 * <p>Maintenance (eviction, expiry) runs on the calling thread, so evictions are counted as they
 * happen. Caffeine's own statistics are bound to the registry as Micrometer's {@code cache.*} meters.
 */
final class CaffeineByteStore implements ByteStore {
  /** Caffeine's node, the map's table slot and the entry object, roughly, per entry. */
  private static final int ENTRY_OVERHEAD = 96;

  private final String id;
  private final Cache<StoreKey, Entry> cache;
  private final CacheMetrics metrics;
  private final Ticker ticker;
  private final long writeNanos;
  private final long accessNanos;

  CaffeineByteStore(
      String id, CaffeineSettings settings, CacheMetrics metrics, MeterRegistry registry,
      Ticker ticker) {
    this.id = id;
    this.metrics = metrics;
    this.ticker = ticker;
    this.writeNanos = nanos(settings.expireAfterWrite());
    this.accessNanos = nanos(settings.expireAfterAccess());
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder().ticker(ticker).recordStats();
    Caffeine<StoreKey, Entry> typed =
        settings.maxEntries() > 0
            ? builder.maximumSize(settings.maxEntries()).expireAfter(new EntryExpiry())
            : builder.maximumWeight(settings.maxBytes())
                .weigher((StoreKey key, Entry e) -> ENTRY_OVERHEAD + key.length() + e.weight)
                .expireAfter(new EntryExpiry());
    cache =
        typed
            .evictionListener((StoreKey k, Entry v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
              if (c.wasEvicted()) {
                metrics.evictions(1);
              }
            })
            .build();
    CaffeineCacheMetrics.monitor(registry, cache, id, Tags.empty());
  }

  private static long nanos(Duration d) {
    return d == null ? Long.MAX_VALUE : saturatedNanos(d);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Lifetimes: the least of the entry's ttl, expire-after-write and expire-after-access. */
  private final class EntryExpiry implements Expiry<StoreKey, Entry> {
    @Override
    public long expireAfterCreate(StoreKey key, Entry e, long now) {
      return Math.min(e.writeLifetime, accessNanos);
    }

    @Override
    public long expireAfterUpdate(StoreKey key, Entry e, long now, long current) {
      return Math.min(e.writeLifetime, accessNanos);
    }

    @Override
    public long expireAfterRead(StoreKey key, Entry e, long now, long current) {
      if (accessNanos == Long.MAX_VALUE) {
        return current;
      }
      long untilWriteExpiry =
          e.writeLifetime == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, e.writeDeadline - now);
      return Math.min(accessNanos, untilWriteExpiry);
    }
  }

  /** One entry: framed bytes, or a decoded value with its codec (bytes made when asked for). */
  static final class Entry {
    final Object value;
    final ValueCodec<Object> codec;
    volatile byte[] bytes;
    final int weight;
    final long writeLifetime;
    final long writeDeadline;

    Entry(Object value, ValueCodec<Object> codec, byte[] bytes, int weight, long writeLifetime,
        long now) {
      this.value = value;
      this.codec = codec;
      this.bytes = bytes;
      this.weight = weight;
      this.writeLifetime = writeLifetime;
      this.writeDeadline =
          writeLifetime == Long.MAX_VALUE || now > Long.MAX_VALUE - writeLifetime
              ? Long.MAX_VALUE
              : now + writeLifetime;
    }

    byte[] bytes() {
      byte[] b = bytes;
      if (b == null) {
        b = ValueFrame.encode(codec, value);
        bytes = b;
      }
      return b;
    }
  }

  private long writeLifetime(Duration ttl) {
    if (ttl == null) {
      return writeNanos;
    }
    requirePositive(ttl);
    return Math.min(writeNanos, saturatedNanos(ttl));
  }

  static void requirePositive(Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    for (String key : keys) {
      Entry e = cache.getIfPresent(StoreKey.of(key));
      if (e != null) {
        found.put(key, e.bytes().clone());
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    long lifetime = writeLifetime(ttl);
    long now = ticker.read();
    entries.forEach(
        (key, bytes) -> cache.put(StoreKey.of(key),
            new Entry(null, null, bytes.clone(), 16 + bytes.length, lifetime, now)));
  }

  /**
   * Looks up keys and hands each decoded value to {@code found}. A value stored as bytes, or by
   * another codec, is decoded; one that fails is reported to {@code corrupt} and skipped.
   */
  <K, V> void getDecoded(
      Collection<K> keys, KeyParts<K> parts, ValueCodec<V> codec, BiConsumer<K, V> found,
      BiConsumer<String, CorruptValueException> corrupt) {
    for (K k : keys) {
      StoreKey key = StoreKey.of(parts.prefix(k), parts.suffix(k));
      Entry e = cache.getIfPresent(key);
      if (e == null) {
        continue;
      }
      if (e.codec == codec) {
        @SuppressWarnings("unchecked")
        V v = (V) e.value;
        found.accept(k, v);
      } else {
        try {
          found.accept(k, ValueFrame.decode(codec, e.bytes()));
        } catch (CorruptValueException ex) {
          corrupt.accept(key.toString(), ex);
        }
      }
    }
  }

  /** Stores values decoded; each is copied with {@link ValueCodec#retainable} first. */
  @SuppressWarnings("unchecked")
  <K, V> void putDecoded(Map<K, V> entries, KeyParts<K> parts, ValueCodec<V> codec, Duration ttl) {
    long lifetime = writeLifetime(ttl);
    long now = ticker.read();
    ValueCodec<Object> c = (ValueCodec<Object>) codec;
    entries.forEach(
        (key, value) -> {
          Object kept = c.retainable(value);
          cache.put(StoreKey.of(parts.prefix(key), parts.suffix(key)),
              new Entry(kept, c, null, c.weigh(kept), lifetime, now));
        });
  }

  @Override
  public void delete(Collection<String> keys) {
    for (String key : keys) {
      cache.invalidate(StoreKey.of(key));
    }
  }

  @Override
  public void deleteByPrefix(String prefix) {
    Stores.requirePrefix(prefix);
    cache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** Runs pending maintenance (evictions, expiries) now. */
  void cleanUp() {
    cache.cleanUp();
  }

  /** The number of entries, after pending maintenance. */
  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }

  @Override
  public String toString() {
    return "CaffeineByteStore{" + id + ", " + cache.estimatedSize() + " entries}";
  }
}

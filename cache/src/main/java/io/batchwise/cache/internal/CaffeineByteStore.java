package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.StoreArguments;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An in-memory store on Caffeine, bounded by entries or by (estimated) bytes, with expiry after
 * write and after access and per-entry time to live.
 *
 * <p>Values that never leave the process need not be encoded: typed views put and get them decoded
 * ({@link #putDecoded}, {@link #getDecoded}), which makes a hit a hash lookup. The byte-level
 * {@link ByteStore} methods encode or decode on demand, so both kinds of access see the same
 * entries.
 *
 * <p>Maintenance (eviction, expiry) runs on the calling thread, so evictions are counted as they
 * happen. Caffeine's own statistics are bound to the registry as Micrometer's {@code cache.*}
 * meters.
 */
final class CaffeineByteStore implements ByteStore {
  /** Caffeine's node, the map's table slot and the entry object, roughly, per entry. */
  private static final int ENTRY_OVERHEAD = 96;

  /** Reads bare vectors back as bytes; either float codec reads them decoded. */
  private static final ValueCodec<float[]> VECTORS = Codecs.floatVectors(false);

  private final String id;
  private final Cache<Object, Object> cache;
  private final CacheMetrics metrics;
  private final Ticker ticker;
  private final long writeNanos;
  private final long accessNanos;

  CaffeineByteStore(
      String id,
      CaffeineSettings settings,
      CacheMetrics metrics,
      MeterRegistry registry,
      Ticker ticker) {
    this.id = id;
    this.metrics = metrics;
    this.ticker = ticker;
    this.writeNanos = nanos(settings.expireAfterWrite());
    this.accessNanos = nanos(settings.expireAfterAccess());
    Caffeine<Object, Object> builder = Caffeine.newBuilder().ticker(ticker).recordStats();
    Caffeine<Object, Object> typed =
        settings.maxEntries() > 0
            ? builder.maximumSize(settings.maxEntries()).expireAfter(new EntryExpiry())
            : builder
                .maximumWeight(settings.maxBytes())
                .weigher(
                    (Object key, Object v) -> ENTRY_OVERHEAD + MemoryKeys.length(key) + weight(v))
                .expireAfter(new EntryExpiry());
    cache =
        typed
            .evictionListener(
                (Object k, Object v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
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

  /**
   * Lifetimes: the least of the entry's ttl, expire-after-write and expire-after-access. A bare
   * vector (see {@link #putDecoded}) has no ttl of its own and is never stored when both expiries
   * are configured, so it needs no write deadline.
   */
  private final class EntryExpiry implements Expiry<Object, Object> {
    @Override
    public long expireAfterCreate(Object key, Object v, long now) {
      return Math.min(v instanceof Entry ? ((Entry) v).writeLifetime : writeNanos, accessNanos);
    }

    @Override
    public long expireAfterUpdate(Object key, Object v, long now, long current) {
      return expireAfterCreate(key, v, now);
    }

    @Override
    public long expireAfterRead(Object key, Object v, long now, long current) {
      if (accessNanos == Long.MAX_VALUE) {
        return current;
      }
      if (!(v instanceof Entry) || ((Entry) v).writeLifetime == Long.MAX_VALUE) {
        return accessNanos;
      }
      return Math.min(accessNanos, Math.max(0, ((Entry) v).writeDeadline - now));
    }
  }

  private static int weight(Object v) {
    return v instanceof Entry ? ((Entry) v).weight : VECTORS.weigh((float[]) v);
  }

  /** The framed bytes of a stored value. */
  private static byte[] bytesOf(Object v) {
    return v instanceof Entry ? ((Entry) v).bytes() : ValueFrame.encode(VECTORS, (float[]) v);
  }

  /** One entry: framed bytes, or a decoded value with its codec (bytes made when asked for). */
  static final class Entry {
    final Object value;
    final ValueCodec<Object> codec;
    volatile byte[] bytes;
    final int weight;
    final long writeLifetime;
    final long writeDeadline;

    Entry(
        Object value,
        ValueCodec<Object> codec,
        byte[] bytes,
        int weight,
        long writeLifetime,
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
    StoreArguments.requirePositiveTtl(ttl);
    return Math.min(writeNanos, saturatedNanos(ttl));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    for (String key : keys) {
      Object v = cache.getIfPresent(MemoryKeys.of(key));
      if (v != null) {
        found.put(key, bytesOf(v).clone());
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    long lifetime = writeLifetime(ttl);
    long now = ticker.read();
    entries.forEach(
        (key, bytes) ->
            cache.put(
                MemoryKeys.of(key),
                new Entry(null, null, bytes.clone(), 16 + bytes.length, lifetime, now)));
  }

  /**
   * Looks up keys and hands each decoded value to {@code found}. A value stored as bytes, or by
   * another codec, is decoded; one that fails is reported to {@code corrupt} and skipped.
   */
  <K, V> void getDecoded(
      Collection<K> keys,
      KeyParts<K> parts,
      ValueCodec<V> codec,
      BiConsumer<K, V> found,
      BiConsumer<String, CorruptValueException> corrupt) {
    for (K k : keys) {
      Object key = parts.memoryKey(k);
      Object stored = cache.getIfPresent(key);
      if (stored == null) {
        continue;
      }
      if (stored instanceof float[] && codec instanceof FloatVectorCodec) {
        @SuppressWarnings("unchecked")
        V v = (V) stored;
        found.accept(k, v);
      } else if (stored instanceof Entry && ((Entry) stored).codec == codec) {
        @SuppressWarnings("unchecked")
        V v = (V) ((Entry) stored).value;
        found.accept(k, v);
      } else {
        try {
          found.accept(k, ValueFrame.decode(codec, bytesOf(stored)));
        } catch (CorruptValueException ex) {
          corrupt.accept(MemoryKeys.text(key), ex);
        }
      }
    }
  }

  /**
   * The fast path of {@link #getDecoded}: when every key is its own in-memory key and every value
   * found is a bare vector the codec reads as is, Caffeine's own bulk lookup is the answer (one
   * clock read and one statistics update per call, not per key).
   *
   * @return the values by key, or null when the fast path does not apply (use {@link #getDecoded})
   */
  @SuppressWarnings("unchecked")
  <K, V> Map<K, V> getAllDecoded(Collection<K> keys, KeyParts<K> parts, ValueCodec<V> codec) {
    if (!(codec instanceof FloatVectorCodec) || !parts.areMemoryKeys(keys)) {
      return null;
    }
    Map<Object, Object> present = cache.getAllPresent(keys);
    for (Object v : present.values()) {
      if (!(v instanceof float[])) {
        return null;
      }
    }
    return (Map<K, V>) (Map<?, ?>) present;
  }

  /**
   * Stores values decoded; each is copied with {@link ValueCodec#retainable} first. Vectors without
   * a ttl of their own are stored bare (no {@link Entry} around them), which saves a memory access
   * on every hit, unless both expiries are configured (then the write deadline must be kept).
   */
  @SuppressWarnings("unchecked")
  <K, V> void putDecoded(Map<K, V> entries, KeyParts<K> parts, ValueCodec<V> codec, Duration ttl) {
    long lifetime = writeLifetime(ttl);
    long now = ticker.read();
    ValueCodec<Object> c = (ValueCodec<Object>) codec;
    boolean bare =
        ttl == null
            && codec instanceof FloatVectorCodec
            && (writeNanos == Long.MAX_VALUE || accessNanos == Long.MAX_VALUE);
    entries.forEach(
        (key, value) -> {
          Object kept = c.retainable(value);
          cache.put(
              parts.memoryKey(key),
              bare ? kept : new Entry(kept, c, null, c.weigh(kept), lifetime, now));
        });
  }

  @Override
  public void delete(Collection<String> keys) {
    for (String key : keys) {
      cache.invalidate(MemoryKeys.of(key));
    }
  }

  @Override
  public void deleteByPrefix(String prefix) {
    StoreArguments.requireKeyPrefix(prefix);
    cache.asMap().keySet().removeIf(k -> MemoryKeys.startsWith(k, prefix));
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

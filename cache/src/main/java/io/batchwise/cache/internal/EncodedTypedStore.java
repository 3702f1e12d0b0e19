package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** Values encoded and framed on any store. */
final class EncodedTypedStore<V> implements TypedStore<V> {
  private final ByteStore store;
  private final ValueCodec<V> codec;
  private final CacheMetrics metrics;

  EncodedTypedStore(ByteStore store, ValueCodec<V> codec, CacheMetrics metrics) {
    this.store = store;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public <K> void getAll(Collection<K> keys, KeyParts<K> parts, BiConsumer<K, V> found) {
    if (keys.isEmpty()) {
      return;
    }
    Map<String, K> byStoreKey = new HashMap<>(keys.size() * 2);
    for (K k : keys) {
      byStoreKey.put(parts.full(k), k);
    }
    Map<String, byte[]> bytes = store.getAll(byStoreKey.keySet());
    CorruptValues corrupt = null;
    for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
      K k = byStoreKey.get(e.getKey());
      if (k == null) {
        continue; // a store must not answer keys it was not asked for; ignore if it does
      }
      try {
        found.accept(k, ValueFrame.decode(codec, e.getValue()));
      } catch (CorruptValueException ex) {
        if (corrupt == null) {
          corrupt = new CorruptValues(store.id());
        }
        corrupt.add(e.getKey(), ex);
      }
    }
    if (corrupt != null) {
      corrupt.report(metrics);
    }
  }

  @Override
  public <K> void putAll(Map<K, V> entries, KeyParts<K> parts, Duration ttl) {
    if (entries.isEmpty()) {
      return;
    }
    Map<String, byte[]> bytes = new HashMap<>(entries.size() * 2);
    entries.forEach((key, value) -> bytes.put(parts.full(key), ValueFrame.encode(codec, value)));
    store.putAll(bytes, ttl);
  }

  @Override
  public ByteStore store() {
    return store;
  }
}

package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/** Values kept decoded in a {@link CaffeineByteStore}: a hit is a hash lookup, no decoding. */
final class InMemoryTypedStore<V> implements TypedStore<V> {
  private final CaffeineByteStore store;
  private final ValueCodec<V> codec;
  private final CacheMetrics metrics;

  InMemoryTypedStore(CaffeineByteStore store, ValueCodec<V> codec, CacheMetrics metrics) {
    this.store = store;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public <K> void getAll(Collection<K> keys, KeyParts<K> parts, BiConsumer<K, V> found) {
    CorruptValues[] corrupt = {null};
    store.getDecoded(
        keys,
        parts,
        codec,
        found,
        (String key, CorruptValueException e) -> {
          if (corrupt[0] == null) {
            corrupt[0] = new CorruptValues(store.id());
          }
          corrupt[0].add(key, e);
        });
    if (corrupt[0] != null) {
      corrupt[0].report(metrics);
    }
  }

  @Override
  public <K> Map<K, V> getAll(Collection<K> keys, KeyParts<K> parts) {
    Map<K, V> found = store.getAllDecoded(keys, parts, codec);
    if (found != null) {
      return found;
    }
    return TypedStore.super.getAll(keys, parts);
  }

  @Override
  public <K> void putAll(Map<K, V> entries, KeyParts<K> parts, Duration ttl) {
    store.putDecoded(entries, parts, codec, ttl);
  }

  @Override
  public ByteStore store() {
    return store;
  }
}

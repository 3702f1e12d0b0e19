package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Values of one type on a {@link ByteStore}, through a {@link ValueCodec} and the {@link
 * ValueFrame} envelope. Corrupt values are skipped (misses), logged and counted.
 *
 * <p>{@link #over} picks the fastest view the store allows: decoded values in memory for {@link
 * CaffeineByteStore}, a decoded front before an encoded back for {@link TieredByteStore}, and
 * encoded values otherwise.
 *
 * @param <V> the value type
 */
interface TypedStore<V> {

  /**
   * The view of {@code store} through {@code codec}.
   *
   * @param store the store
   * @param codec the codec
   * @param metrics where corrupt values are counted
   * @param <V> the value type
   * @return the view
   */
  static <V> TypedStore<V> over(ByteStore store, ValueCodec<V> codec, CacheMetrics metrics) {
    if (store instanceof CaffeineByteStore) {
      return new InMemoryTypedStore<>((CaffeineByteStore) store, codec, metrics);
    }
    if (store instanceof TieredByteStore) {
      TieredByteStore tiered = (TieredByteStore) store;
      return new TieredTypedStore<>(
          tiered,
          new InMemoryTypedStore<>(tiered.front(), codec, metrics),
          new EncodedTypedStore<>(tiered.back(), codec, metrics));
    }
    return new EncodedTypedStore<>(store, codec, metrics);
  }

  /**
   * Looks up keys, handing each value found to {@code found} (on the calling thread).
   *
   * @param keys the keys, distinct
   * @param parts the store key of each key
   * @param found receives each key found with its value
   * @param <K> the caller's key type
   */
  <K> void getAll(Collection<K> keys, KeyParts<K> parts, BiConsumer<K, V> found);

  /**
   * Looks up keys and returns what was found as a map owned by the caller.
   *
   * @param keys the keys, distinct
   * @param parts the store key of each key
   * @param <K> the caller's key type
   * @return the values found, by key
   */
  default <K> Map<K, V> getAll(Collection<K> keys, KeyParts<K> parts) {
    Map<K, V> found = new HashMap<>(Math.max(16, keys.size() * 4 / 3 + 1));
    getAll(keys, parts, found::put);
    return found;
  }

  /**
   * Stores values.
   *
   * @param entries values by the caller's key
   * @param parts the store key of each key
   * @param ttl their lifetime, or null for the store's default
   * @param <K> the caller's key type
   */
  <K> void putAll(Map<K, V> entries, KeyParts<K> parts, Duration ttl);

  /**
   * The store under this view.
   *
   * @return the store
   */
  ByteStore store();
}

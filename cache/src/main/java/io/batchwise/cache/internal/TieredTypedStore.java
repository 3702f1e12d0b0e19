package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A decoded in-memory front before an encoded back: the back is asked only for the front's misses,
 * and its hits fill the front (decoded, so the next hit costs no decoding).
 */
final class TieredTypedStore<V> implements TypedStore<V> {
  private final TieredByteStore store;
  private final InMemoryTypedStore<V> front;
  private final EncodedTypedStore<V> back;

  TieredTypedStore(TieredByteStore store, InMemoryTypedStore<V> front, EncodedTypedStore<V> back) {
    this.store = store;
    this.front = front;
    this.back = back;
  }

  @Override
  public <K> void getAll(Collection<K> keys, KeyParts<K> parts, BiConsumer<K, V> found) {
    Set<K> hit = new HashSet<>();
    front.getAll(
        keys,
        parts,
        (k, v) -> {
          hit.add(k);
          found.accept(k, v);
        });
    if (hit.size() == keys.size()) {
      return;
    }
    List<K> missing = new ArrayList<>(keys.size() - hit.size());
    for (K k : keys) {
      if (!hit.contains(k)) {
        missing.add(k);
      }
    }
    Map<K, V> fill = new HashMap<>();
    back.getAll(
        missing,
        parts,
        (k, v) -> {
          fill.put(k, v);
          found.accept(k, v);
        });
    front.putAll(fill, parts, null);
  }

  @Override
  public <K> void putAll(Map<K, V> entries, KeyParts<K> parts, Duration ttl) {
    front.putAll(entries, parts, ttl);
    back.putAll(entries, parts, ttl);
  }

  @Override
  public ByteStore store() {
    return store;
  }
}

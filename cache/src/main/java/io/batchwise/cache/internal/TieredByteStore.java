package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An in-memory front ({@link CaffeineByteStore}) before a slower back (SQLite or Redis): lookups
 * try the front, then the back for what the front misses, and copy the back's hits into the front;
 * stores, deletions and clears go to both.
 *
 * <p>A front entry filled from the back lives by the front's own expiry, not the back entry's
 * remaining time to live (which the back does not report); configure {@code
 * cache.expire-after-write} no longer than {@code cache.ttl} if that matters. Other processes'
 * invalidations reach this front only when its entries expire.
 */
final class TieredByteStore implements ByteStore {
  private final CaffeineByteStore front;
  private final ByteStore back;

  TieredByteStore(CaffeineByteStore front, ByteStore back) {
    this.front = front;
    this.back = back;
  }

  CaffeineByteStore front() {
    return front;
  }

  ByteStore back() {
    return back;
  }

  @Override
  public String id() {
    return "tiered";
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Map<String, byte[]> found = front.getAll(keys);
    if (found.size() < keys.size()) {
      List<String> missing = new ArrayList<>();
      for (String key : keys) {
        if (!found.containsKey(key)) {
          missing.add(key);
        }
      }
      Map<String, byte[]> fromBack = back.getAll(missing);
      if (!fromBack.isEmpty()) {
        front.putAll(fromBack, null);
        found.putAll(fromBack);
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    front.putAll(entries, ttl);
    back.putAll(entries, ttl);
  }

  @Override
  public void delete(Collection<String> keys) {
    front.delete(keys);
    back.delete(keys);
  }

  @Override
  public void deleteByPrefix(String prefix) {
    front.deleteByPrefix(prefix);
    back.deleteByPrefix(prefix);
  }

  @Override
  public void clear() {
    front.clear();
    back.clear();
  }

  @Override
  public void close() {
    try {
      front.close();
    } finally {
      back.close();
    }
  }

  @Override
  public String toString() {
    return "TieredByteStore{" + front + " before " + back + "}";
  }
}

package io.batchwise.cache.testing;

import io.batchwise.cache.ByteStore;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest third-party backend: a map, which can be made to fail like an unreachable server. It
 * stands for a backend written by someone else against {@link ByteStore}.
 */
public final class MapByteStore implements ByteStore {
  private final Map<String, byte[]> map = new ConcurrentHashMap<>();
  private volatile boolean down;

  /**
   * Makes every call fail (true) or work again (false).
   *
   * @param down whether the backend is unreachable
   */
  public void down(boolean down) {
    this.down = down;
  }

  private void check() {
    if (down) {
      throw new IllegalStateException("map store unreachable");
    }
  }

  @Override
  public String id() {
    return "map";
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    check();
    Map<String, byte[]> found = new HashMap<>();
    for (String k : keys) {
      byte[] v = map.get(k);
      if (v != null) {
        found.put(k, v.clone());
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    check();
    entries.forEach((k, v) -> map.put(k, v.clone()));
  }

  @Override
  public void delete(Collection<String> keys) {
    check();
    keys.forEach(map::remove);
  }

  @Override
  public void deleteByPrefix(String prefix) {
    check();
    map.keySet().removeIf(k -> k.startsWith(prefix));
  }

  @Override
  public void clear() {
    check();
    map.clear();
  }

  @Override
  public void close() {}
}

package io.batchwise.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * A cache backend reduced to its essence: bulk get and put of byte arrays by string key, with an
 * optional time to live, and deletion by key, by key prefix and of everything.
 *
 * <p>Both typed views of Batchwise's caches — the embedding cache ({@link EmbeddingCaches}) and the
 * {@link Memoizer} — are built on this interface, so a new backend written against it serves both.
 * Register it with a {@link ByteStoreFactory}.
 *
 * <p>The values a store sees are opaque: the views add a format version and a checksum to every
 * value and check them when reading, so a store need not (and should not) interpret them. A store
 * reports a backend failure by throwing; the views decide whether that becomes a miss (lookups and
 * stores) or an error for the caller (invalidation). Implementations must be thread-safe.
 *
 * <pre>{@code
 * // sqlite needs batchwise-cache-sqlite
 * try (ByteStore store = ByteStores.open("sqlite", Map.of("cache.path", "/tmp/cache.db"), registry)) {
 *   store.putAll(Map.of("greeting", "hello".getBytes(UTF_8)), Duration.ofHours(1));
 *   Map<String, byte[]> found = store.getAll(List.of("greeting", "other")); // {greeting=...}
 * }
 * }</pre>
 */
public interface ByteStore extends AutoCloseable {

  /**
   * The backend's id, used as the {@code cache} tag of its meters and in log messages, e.g. {@code
   * sqlite}.
   *
   * @return a stable lowercase id
   */
  String id();

  /**
   * Looks up many keys at once.
   *
   * @param keys the keys; duplicates are allowed
   * @return the values found, by key; keys absent or expired are missing from the map. The arrays
   *     belong to the caller.
   * @throws RuntimeException when the backend fails
   */
  Map<String, byte[]> getAll(Collection<String> keys);

  /**
   * Stores many values at once, replacing existing ones.
   *
   * @param entries values by key; the store copies or does not retain the arrays
   * @param ttl how long the entries live, or {@code null} for the store's default (which may be
   *     "forever")
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   * @throws RuntimeException when the backend fails
   */
  void putAll(Map<String, byte[]> entries, Duration ttl);

  /**
   * Removes the given keys; absent keys are ignored.
   *
   * @param keys the keys
   * @throws RuntimeException when the backend fails
   */
  void delete(Collection<String> keys);

  /**
   * Removes every key that starts with {@code prefix}.
   *
   * @param prefix the prefix, not empty
   * @throws IllegalArgumentException when the prefix is empty (use {@link #clear()})
   * @throws RuntimeException when the backend fails
   */
  void deleteByPrefix(String prefix);

  /**
   * Removes every entry this store holds. A shared backend (Redis) removes only the keys under its
   * key prefix, never the whole database.
   *
   * @throws RuntimeException when the backend fails
   */
  void clear();

  /** Releases connections and files. Idempotent; the store must not be used afterwards. */
  @Override
  void close();
}

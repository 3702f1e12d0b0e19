package io.batchwise.cache;

import java.util.function.Function;

/**
 * A function whose results are cached by a {@link Memoizer}.
 *
 * <p>{@link #apply(Object)} returns the cached result when there is one; otherwise it calls the
 * function — once for all threads of this JVM that ask for the same argument at the same time — and
 * caches a non-null result. Exceptions are not cached: they reach the caller that computed and
 * every caller that was waiting for that computation. Thread-safe.
 *
 * @param <K> the argument type; it must have a stable key (see {@link Memoizer})
 * @param <V> the result type
 */
public interface MemoizedFunction<K, V> extends Function<K, V> {

  /**
   * Removes the cached result for {@code key}, from memory and from the backend.
   *
   * @param key the argument
   * @throws CacheUnavailableException when the backend cannot be reached
   */
  void invalidate(K key);

  /**
   * Removes every cached result of this function, from memory and from the backend.
   *
   * @throws CacheUnavailableException when the backend cannot be reached
   */
  void invalidateAll();
}

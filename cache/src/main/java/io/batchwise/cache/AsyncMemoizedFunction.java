package io.batchwise.cache;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An asynchronous function whose completed results are cached by a {@link Memoizer}.
 *
 * <p>{@link #apply(Object)} returns a completed future when the result is cached; otherwise it
 * calls the function — once for all concurrent callers in this JVM with the same argument, who
 * share its outcome — and caches the non-null value it completes with. A failed future is not
 * cached. The cache lookup itself runs on the calling thread. Thread-safe.
 *
 * @param <K> the argument type; it must have a stable key (see {@link Memoizer})
 * @param <V> the result type
 */
public interface AsyncMemoizedFunction<K, V> extends Function<K, CompletableFuture<V>> {

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

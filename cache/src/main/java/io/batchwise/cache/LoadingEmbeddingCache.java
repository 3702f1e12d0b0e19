package io.batchwise.cache;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EmbeddingCache} that can also compute what it misses, once per key across concurrent
 * callers in this JVM (single-flight), and that exposes the {@link ByteStore} under it.
 *
 * <p>Every cache the factories of this module create implements this interface.
 *
 * <pre>{@code
 * LoadingEmbeddingCache cache = (LoadingEmbeddingCache) factory.create(context);
 * Map<CacheKey, float[]> vectors = cache.getAllOrCompute(keys, missing -> embed(missing)).join();
 * // or hand vectors over as they are computed, each group stored at once:
 * cache.getAllOrLoad(keys, (missing, ready) -> embedInCalls(missing, ready)).join();
 * }</pre>
 */
public interface LoadingEmbeddingCache extends EmbeddingCache {

  /**
   * Looks up {@code keys}; has {@code loader} compute the misses, stores each group it hands over
   * as it arrives, and returns hits and computed vectors together.
   *
   * <p>Single-flight: when another caller in this JVM is already computing some of the missing
   * keys, this call waits for those vectors instead of computing them again, and gets each one as
   * soon as the other caller has stored it; {@code loader} receives only the keys this call leads.
   * If the other caller fails or does not produce a key, this call computes that key itself, so no
   * key is lost to another caller's failure.
   *
   * <p>{@code loader} may leave out keys (inputs that failed); those keys are absent from the
   * result and nothing is stored for them. Keys it hands over that it was not asked for are
   * ignored. A backend outage makes every key a miss and drops the stores; it never fails the
   * returned future.
   *
   * @param keys the keys wanted
   * @param loader computes vectors for a set of missing keys, asynchronously; never called with an
   *     empty set
   * @return a future of the vectors by key: every key that was found or computed. It fails only
   *     when {@code loader} throws or its future fails, with that exception.
   */
  @Override
  CompletableFuture<Map<CacheKey, float[]>> getAllOrLoad(Collection<CacheKey> keys, Loader loader);

  /**
   * The byte store this cache is a view of, to share it with a {@link Memoizer}. The cache owns the
   * store: closing the cache closes it.
   *
   * @return the store
   */
  ByteStore store();
}

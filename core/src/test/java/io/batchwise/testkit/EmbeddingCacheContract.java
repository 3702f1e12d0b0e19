package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmbeddingCache} must honour: what is put is got back bit for bit, misses
 * are absent, namespaces never mix, invalidation by key, namespace and clear works, and the arrays
 * handed in are not aliased.
 */
public abstract class EmbeddingCacheContract {
  /** The cache under test, created before each test and closed after it. */
  protected EmbeddingCache cache;

  /**
   * Creates an empty cache for one test.
   *
   * @return the cache
   * @throws Exception when it cannot be created
   */
  protected abstract EmbeddingCache createCache() throws Exception;

  /**
   * Whether the cache stores vectors exactly (false for lossy encodings such as float16).
   *
   * @return true when vectors come back bit for bit
   */
  protected boolean isLossless() {
    return true;
  }

  /** Opens the cache. */
  @BeforeEach
  void openCache() throws Exception {
    cache = createCache();
  }

  /** Closes the cache. */
  @AfterEach
  void closeCache() {
    if (cache != null) {
      cache.close();
    }
  }

  private static final String NS_A = "test/model-a/4/n";
  private static final String NS_B = "test/model-b/4/n";

  private static float[] vec(float seed) {
    return new float[] {seed, -seed, seed / 3, Float.MIN_VALUE + seed};
  }

  @Test
  @DisplayName("gets back what was put, and nothing for a miss")
  void putThenGet() {
    CacheKey hit = CacheKey.of(NS_A, "hello");
    CacheKey miss = CacheKey.of(NS_A, "never stored");
    cache.putAll(Map.of(hit, vec(0.5f)));
    Map<CacheKey, float[]> got = cache.getAll(List.of(hit, miss));
    assertThat(got).containsOnlyKeys(hit);
    if (isLossless()) {
      assertThat(got.get(hit)).containsExactly(vec(0.5f));
    } else {
      assertThat(EmbeddingProviderContract.cosine(got.get(hit), vec(0.5f))).isGreaterThan(0.999);
    }
  }

  @Test
  @DisplayName("stores and finds many entries in one bulk call")
  void bulk() {
    Map<CacheKey, float[]> entries = new HashMap<>();
    List<CacheKey> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      CacheKey k = CacheKey.of(NS_A, "text " + i);
      keys.add(k);
      entries.put(k, vec(i));
    }
    cache.putAll(entries);
    Map<CacheKey, float[]> got = cache.getAll(keys);
    assertThat(got).hasSize(500);
    assertThat(got.get(keys.get(123))[0]).isEqualTo(123f);
  }

  @Test
  @DisplayName("never reads one model's entry for another")
  void namespacesDoNotMix() {
    cache.putAll(Map.of(CacheKey.of(NS_A, "same text"), vec(1)));
    assertThat(cache.getAll(List.of(CacheKey.of(NS_B, "same text")))).isEmpty();
  }

  @Test
  @DisplayName("invalidates one key, one namespace, or everything")
  void invalidation() {
    CacheKey a1 = CacheKey.of(NS_A, "a1");
    CacheKey a2 = CacheKey.of(NS_A, "a2");
    CacheKey b1 = CacheKey.of(NS_B, "b1");
    cache.putAll(Map.of(a1, vec(1), a2, vec(2), b1, vec(3)));
    cache.invalidate(a1);
    assertThat(cache.getAll(List.of(a1, a2, b1))).containsOnlyKeys(a2, b1);
    cache.invalidateNamespace(NS_A);
    assertThat(cache.getAll(List.of(a1, a2, b1))).containsOnlyKeys(b1);
    cache.clear();
    assertThat(cache.getAll(List.of(a1, a2, b1))).isEmpty();
  }

  @Test
  @DisplayName("is not affected when the caller later changes the array it stored")
  void doesNotAliasStoredArrays() {
    CacheKey k = CacheKey.of(NS_A, "alias");
    float[] v = vec(7);
    cache.putAll(Map.of(k, v));
    v[0] = 999f;
    assertThat(cache.getAll(List.of(k)).get(k)[0]).isEqualTo(7f);
  }

  @Test
  @DisplayName("getAllOrLoad: loads only the misses and has each group stored before loading ends")
  void getAllOrLoadStoresEachGroupAsItArrives() {
    CacheKey hit = CacheKey.of(NS_A, "cached");
    CacheKey first = CacheKey.of(NS_A, "first call");
    CacheKey second = CacheKey.of(NS_A, "second call");
    CacheKey failed = CacheKey.of(NS_A, "failed call");
    cache.putAll(Map.of(hit, vec(1)));
    List<Set<CacheKey>> asked = new ArrayList<>();
    Map<CacheKey, Boolean> storedBeforeTheEnd = new HashMap<>();
    Map<CacheKey, float[]> got = cache.getAllOrLoad(List.of(hit, first, second, failed), (missing, ready) -> {
      asked.add(Set.copyOf(missing));
      ready.accept(Map.of(first, vec(2)));
      storedBeforeTheEnd.put(first, cache.getAll(List.of(first)).containsKey(first));
      ready.accept(Map.of(second, vec(3)));
      return CompletableFuture.completedFuture(null); // "failed call" is never handed over
    }).join();
    assertThat(asked).containsExactly(Set.of(first, second, failed));
    assertThat(storedBeforeTheEnd).containsEntry(first, true);
    assertThat(got).containsOnlyKeys(hit, first, second);
    assertThat(cache.getAll(List.of(first, second, failed))).containsOnlyKeys(first, second);
  }

  @Test
  @DisplayName("answers an empty lookup with an empty map")
  void emptyLookup() {
    assertThat(cache.getAll(List.of())).isEmpty();
    cache.putAll(Map.of());
  }
}

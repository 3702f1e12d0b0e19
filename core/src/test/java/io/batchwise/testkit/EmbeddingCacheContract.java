package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmbeddingCache} must honour: what is put is got back bit for bit,
 * misses are absent, namespaces never mix, invalidation by key, namespace and clear works, and the
 * arrays handed in are not aliased — and what the embed pipeline calls: {@link
 * EmbeddingCache#getAllOrLoad} and {@link EmbeddingCache#getAllOrCompute} compute only the misses,
 * store what they compute, return hits and computed vectors together, leave out and never store
 * what the computation left out, and fail when the computation fails. A cache that overrides them
 * (a single-flight cache does) is covered where it matters.
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
    Map<CacheKey, float[]> got =
        cache
            .getAllOrLoad(
                List.of(hit, first, second, failed),
                (missing, ready) -> {
                  asked.add(Set.copyOf(missing));
                  ready.accept(Map.of(first, vec(2)));
                  storedBeforeTheEnd.put(first, cache.getAll(List.of(first)).containsKey(first));
                  ready.accept(Map.of(second, vec(3)));
                  return CompletableFuture.completedFuture(
                      null); // "failed call" is never handed over
                })
            .join();
    assertThat(asked).containsExactly(Set.of(first, second, failed));
    assertThat(storedBeforeTheEnd).containsEntry(first, true);
    assertThat(got).containsOnlyKeys(hit, first, second);
    assertThat(cache.getAll(List.of(first, second, failed))).containsOnlyKeys(first, second);
  }

  @Test
  @DisplayName(
      "getAllOrCompute: computes only the misses, stores them, returns hits and computed vectors together")
  void getAllOrComputeComputesOnlyTheMisses() throws Exception {
    CacheKey hit = CacheKey.of(NS_A, "cached");
    CacheKey miss = CacheKey.of(NS_A, "computed");
    CacheKey failed = CacheKey.of(NS_A, "left out");
    CacheKey otherModel =
        CacheKey.of(NS_B, "cached"); // the same text under another model is a miss
    cache.putAll(Map.of(hit, vec(1)));
    List<Set<CacheKey>> asked = new ArrayList<>();
    Map<CacheKey, float[]> got =
        cache
            .getAllOrCompute(
                List.of(hit, miss, failed, otherModel),
                missing -> {
                  asked.add(Set.copyOf(missing));
                  return CompletableFuture.completedFuture(
                      Map.of(miss, vec(2), otherModel, vec(3))); // "left out" failed
                })
            .get(30, TimeUnit.SECONDS);
    assertThat(asked).containsExactly(Set.of(miss, failed, otherModel));
    assertThat(got).containsOnlyKeys(hit, miss, otherModel);
    assertThat(got.get(hit)[0]).isEqualTo(1f);
    assertThat(got.get(miss)[0]).isEqualTo(2f);
    assertThat(got.get(otherModel)[0]).isEqualTo(3f);
    // stored: a second lookup computes nothing; what was left out is still a miss
    assertThat(cache.getAll(List.of(hit, miss, failed, otherModel)))
        .containsOnlyKeys(hit, miss, otherModel);
    Map<CacheKey, float[]> again =
        cache
            .getAllOrCompute(
                List.of(hit, miss, otherModel),
                missing -> {
                  throw new AssertionError("nothing is missing, yet it computed " + missing);
                })
            .get(30, TimeUnit.SECONDS);
    assertThat(again).containsOnlyKeys(hit, miss, otherModel);
    assertThat(again.get(miss)[0]).isEqualTo(2f);
  }

  @Test
  @DisplayName(
      "getAllOrCompute and getAllOrLoad fail with the computation's failure and store nothing of it")
  void aFailedComputationFailsTheLookup() {
    CacheKey miss = CacheKey.of(NS_A, "fails");
    IllegalStateException boom = new IllegalStateException("the provider is down");
    CompletableFuture<Map<CacheKey, float[]>> computed =
        cache.getAllOrCompute(List.of(miss), missing -> CompletableFuture.failedFuture(boom));
    assertThat(catchThrowable(() -> computed.get(30, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .hasRootCause(boom);
    CompletableFuture<Map<CacheKey, float[]>> loaded =
        cache.getAllOrLoad(List.of(miss), (missing, ready) -> CompletableFuture.failedFuture(boom));
    assertThat(catchThrowable(() -> loaded.get(30, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .hasRootCause(boom);
    assertThat(cache.getAll(List.of(miss))).isEmpty();
    // the failure is not remembered: the next lookup computes again
    Map<CacheKey, float[]> retried =
        cache
            .getAllOrCompute(
                List.of(miss), missing -> CompletableFuture.completedFuture(Map.of(miss, vec(4))))
            .join();
    assertThat(retried.get(miss)[0]).isEqualTo(4f);
  }

  @Test
  @DisplayName("answers an empty lookup with an empty map")
  void emptyLookup() {
    assertThat(cache.getAll(List.of())).isEmpty();
    cache.putAll(Map.of());
  }
}

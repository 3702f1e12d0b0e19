package io.batchwise.cache.testing;

import static io.batchwise.cache.testing.TestContexts.count;
import static io.batchwise.cache.testing.TestContexts.timerCount;
import static io.batchwise.cache.testing.Vectors.NS;
import static io.batchwise.cache.testing.Vectors.OTHER_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.testkit.EmbeddingCacheContract;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LoadingEmbeddingCache} of batchwise-cache and its backend modules must do, run
 * against each backend by a subclass: core's {@link EmbeddingCacheContract} plus this module's
 * promises (bulk sizes that span chunks, exact bits, meters, {@code getAllOrCompute} and
 * single-flight). In batchwise-cache's test-jar.
 */
public abstract class EmbeddingCacheContractTest extends EmbeddingCacheContract {
  static final int DIMS = 8;

  /** A fresh registry per test (JUnit makes a new instance per test). */
  protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Creates a fresh, empty cache recording to {@code registry}. */
  protected abstract LoadingEmbeddingCache create(MeterRegistry registry) throws Exception;

  /** The {@code cache} tag of the cache's meters. */
  protected abstract String tag();

  @Override
  protected final EmbeddingCache createCache() throws Exception {
    return create(registry);
  }

  /**
   * The cache under test, as this module's type.
   *
   * @return the cache
   */
  protected LoadingEmbeddingCache loading() {
    return (LoadingEmbeddingCache) cache;
  }

  static Map<CacheKey, float[]> entries(String ns, String prefix, int n) {
    return Vectors.entries(ns, Vectors.texts(prefix, n), DIMS);
  }

  static void assertSameVectors(Map<CacheKey, float[]> actual, Map<CacheKey, float[]> expected) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((k, v) -> assertThat(actual.get(k)).as("vector of %s", k).containsExactly(v));
  }

  @Test
  void anEmptyCacheMissesEveryKey() {
    Map<CacheKey, float[]> e = entries(NS, "a", 5);
    assertThat(cache.getAll(e.keySet())).isEmpty();
    assertThat(cache.getAll(List.of())).isEmpty();
  }

  @Test
  void returnsTheVectorsStoredAndOnlyThose() {
    Map<CacheKey, float[]> stored = entries(NS, "stored", 50);
    cache.putAll(stored);
    List<CacheKey> asked = new ArrayList<>(stored.keySet());
    asked.add(CacheKey.of(NS, "never stored"));
    assertSameVectors(cache.getAll(asked), stored);
  }

  @Test
  void aModelNeverReadsAnotherModelsVectors() {
    CacheKey a = CacheKey.of(NS, "same text");
    CacheKey b = CacheKey.of(OTHER_NS, "same text");
    cache.putAll(Map.of(a, new float[] {1, 2}, b, new float[] {3, 4}));
    assertThat(cache.getAll(List.of(a)).get(a)).containsExactly(1, 2);
    assertThat(cache.getAll(List.of(b)).get(b)).containsExactly(3, 4);
    assertThat(cache.getAll(List.of(a))).doesNotContainKey(b);
  }

  @Test
  void changingAnArrayAfterStoringItDoesNotChangeTheCache() {
    CacheKey k = CacheKey.of(NS, "mutable");
    float[] v = {1, 2, 3};
    cache.putAll(Map.of(k, v));
    v[0] = 99;
    assertThat(cache.getAll(List.of(k)).get(k)).containsExactly(1, 2, 3);
  }

  @Test
  void aSecondStoreReplacesTheFirst() {
    CacheKey k = CacheKey.of(NS, "replaced");
    cache.putAll(Map.of(k, new float[] {1}));
    cache.putAll(Map.of(k, new float[] {2, 2}));
    assertThat(cache.getAll(List.of(k)).get(k)).containsExactly(2, 2);
  }

  @Test
  void invalidateRemovesOneKey() {
    Map<CacheKey, float[]> e = entries(NS, "inv", 3);
    cache.putAll(e);
    CacheKey first = e.keySet().iterator().next();
    cache.invalidate(first);
    Map<CacheKey, float[]> left = new HashMap<>(e);
    left.remove(first);
    assertSameVectors(cache.getAll(e.keySet()), left);
  }

  @Test
  void invalidateNamespaceRemovesEverythingOneModelWroteAndNothingElse() {
    Map<CacheKey, float[]> mine = entries(NS, "ns", 20);
    Map<CacheKey, float[]> other = entries(OTHER_NS, "ns", 20);
    cache.putAll(mine);
    cache.putAll(other);
    cache.invalidateNamespace(NS);
    assertThat(cache.getAll(mine.keySet())).isEmpty();
    assertSameVectors(cache.getAll(other.keySet()), other);
  }

  @Test
  void aNamespaceThatPrefixesAnotherIsInvalidatedAlone() {
    Map<CacheKey, float[]> shortNs = entries("p/m/8/n", "x", 3);
    Map<CacheKey, float[]> longNs = entries("p/m/8/n2", "x", 3);
    cache.putAll(shortNs);
    cache.putAll(longNs);
    cache.invalidateNamespace("p/m/8/n");
    assertThat(cache.getAll(shortNs.keySet())).isEmpty();
    assertSameVectors(cache.getAll(longNs.keySet()), longNs);
  }

  @Test
  void clearRemovesEveryEntry() {
    Map<CacheKey, float[]> a = entries(NS, "c", 10);
    Map<CacheKey, float[]> b = entries(OTHER_NS, "c", 10);
    cache.putAll(a);
    cache.putAll(b);
    cache.clear();
    assertThat(cache.getAll(a.keySet())).isEmpty();
    assertThat(cache.getAll(b.keySet())).isEmpty();
  }

  @Test
  void bulkOperationsOfThousandsOfRealSizedVectorsRoundTrip() {
    Map<CacheKey, float[]> e = Vectors.entries(NS, Vectors.texts("bulk", 2_500), 384);
    cache.putAll(e);
    assertSameVectors(cache.getAll(e.keySet()), e);
  }

  @Test
  void specialFloatValuesKeepTheirExactBits() {
    CacheKey k = CacheKey.of(NS, "special");
    float[] v = {
      Float.NaN,
      -0.0f,
      0.0f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      -1e-40f
    };
    cache.putAll(Map.of(k, v));
    float[] got = cache.getAll(List.of(k)).get(k);
    assertThat(got).hasSize(v.length);
    for (int i = 0; i < v.length; i++) {
      assertThat(Float.floatToIntBits(got[i]))
          .as("element %d", i)
          .isEqualTo(Float.floatToIntBits(v[i]));
    }
  }

  @Test
  void countsHitsMissesPutsAndLookups() {
    Map<CacheKey, float[]> e = entries(NS, "m", 5);
    Map<CacheKey, float[]> three = new HashMap<>();
    e.entrySet().stream().limit(3).forEach(x -> three.put(x.getKey(), x.getValue()));
    cache.putAll(three);
    cache.getAll(e.keySet());
    assertThat(count(registry, MeterNames.CACHE_PUTS, MeterNames.TAG_CACHE, tag())).isEqualTo(3);
    assertThat(count(registry, MeterNames.CACHE_HITS, MeterNames.TAG_CACHE, tag())).isEqualTo(3);
    assertThat(count(registry, MeterNames.CACHE_MISSES, MeterNames.TAG_CACHE, tag())).isEqualTo(2);
    assertThat(
            timerCount(
                registry,
                MeterNames.CACHE_LOAD,
                MeterNames.TAG_CACHE,
                tag(),
                MeterNames.TAG_OUTCOME,
                "lookup"))
        .isEqualTo(1);
    assertThat(count(registry, MeterNames.CACHE_ERRORS, MeterNames.TAG_CACHE, tag())).isZero();
  }

  @Test
  void getAllOrComputeComputesOnlyTheMissesAndStoresThem() {
    Map<CacheKey, float[]> e = entries(NS, "goc", 5);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    cache.putAll(Map.of(keys.get(0), e.get(keys.get(0)), keys.get(1), e.get(keys.get(1))));
    List<Set<CacheKey>> asked = new CopyOnWriteArrayList<>();

    Map<CacheKey, float[]> got =
        loading()
            .getAllOrCompute(
                keys,
                missing -> {
                  asked.add(Set.copyOf(missing));
                  return CompletableFuture.completedFuture(pick(e, missing));
                })
            .join();

    assertSameVectors(got, e);
    assertThat(asked).containsExactly(Set.of(keys.get(2), keys.get(3), keys.get(4)));
    assertSameVectors(cache.getAll(keys), e);
    assertThat(
            timerCount(
                registry,
                MeterNames.CACHE_LOAD,
                MeterNames.TAG_CACHE,
                tag(),
                MeterNames.TAG_OUTCOME,
                "success"))
        .isEqualTo(1);
  }

  @Test
  void getAllOrComputeLeavesOutAndDoesNotStoreWhatComputeDidNotProduce() {
    Map<CacheKey, float[]> e = entries(NS, "partial", 3);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    Map<CacheKey, float[]> got =
        loading()
            .getAllOrCompute(
                keys,
                missing ->
                    CompletableFuture.completedFuture(pick(e, List.of(keys.get(0), keys.get(1)))))
            .join();
    assertThat(got).containsOnlyKeys(keys.get(0), keys.get(1));
    assertThat(cache.getAll(keys)).containsOnlyKeys(keys.get(0), keys.get(1));
  }

  @Test
  void aFailedComputationFailsTheCallAndReleasesItsKeys() {
    Map<CacheKey, float[]> e = entries(NS, "fail", 2);
    IllegalStateException boom = new IllegalStateException("provider down");
    CompletableFuture<Map<CacheKey, float[]>> failed =
        loading().getAllOrCompute(e.keySet(), missing -> CompletableFuture.failedFuture(boom));
    assertThatThrownBy(failed::join).hasRootCause(boom);
    assertThat(
            timerCount(
                registry,
                MeterNames.CACHE_LOAD,
                MeterNames.TAG_CACHE,
                tag(),
                MeterNames.TAG_OUTCOME,
                "failure"))
        .isEqualTo(1);

    Map<CacheKey, float[]> retried =
        loading()
            .getAllOrCompute(
                e.keySet(), missing -> CompletableFuture.completedFuture(pick(e, missing)))
            .join();
    assertSameVectors(retried, e);
  }

  @Test
  void aComputationThatThrowsFailsTheCallWithThatException() {
    Map<CacheKey, float[]> e = entries(NS, "throws", 1);
    IllegalArgumentException boom = new IllegalArgumentException("bad input");
    assertThatThrownBy(
            () ->
                loading()
                    .getAllOrCompute(
                        e.keySet(),
                        missing -> {
                          throw boom;
                        })
                    .join())
        .hasRootCause(boom);
  }

  @Test
  void concurrentIdenticalMissesAreComputedOnce() throws Exception {
    Map<CacheKey, float[]> e = entries(NS, "flight", 20);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    int threads = 8;
    CompletableFuture<Void> gate = new CompletableFuture<>();
    Map<CacheKey, AtomicInteger> computed = new ConcurrentHashMap<>();
    Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute =
        missing -> {
          missing.forEach(
              k -> computed.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet());
          return gate.thenApply(x -> pick(e, missing));
        };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<CompletableFuture<Map<CacheKey, float[]>>>> calls = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<CacheKey> mine = new ArrayList<>(keys);
      Collections.shuffle(mine, new Random(t));
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                return loading().getAllOrCompute(mine, compute);
              },
              pool));
    }
    start.countDown();
    List<CompletableFuture<Map<CacheKey, float[]>>> results = new ArrayList<>();
    for (var call : calls) {
      results.add(call.get(10, TimeUnit.SECONDS));
    }
    gate.complete(null);
    for (var r : results) {
      assertSameVectors(r.get(10, TimeUnit.SECONDS), e);
    }
    pool.shutdown();
    assertThat(computed.keySet()).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(computed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @Test
  void aFollowerComputesWhatItsLeaderFailedToProduce() {
    Map<CacheKey, float[]> e = entries(NS, "orphan", 2);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    CompletableFuture<Void> gate = new CompletableFuture<>();
    CompletableFuture<Map<CacheKey, float[]>> leader =
        loading()
            .getAllOrCompute(keys, missing -> gate.thenApply(x -> pick(e, List.of(keys.get(0)))));
    List<Set<CacheKey>> followerAsked = new CopyOnWriteArrayList<>();
    CompletableFuture<Map<CacheKey, float[]>> follower =
        loading()
            .getAllOrCompute(
                keys,
                missing -> {
                  followerAsked.add(Set.copyOf(missing));
                  return CompletableFuture.completedFuture(pick(e, missing));
                });
    assertThat(follower).isNotDone();
    gate.complete(null);
    assertThat(leader.join()).containsOnlyKeys(keys.get(0));
    assertSameVectors(follower.join(), e);
    assertThat(followerAsked).containsExactly(Set.of(keys.get(1)));
  }

  @Test
  void getAllOrLoadStoresEachGroupAsItArrivesAndHandsItToAWaitingCaller() {
    Map<CacheKey, float[]> e = entries(NS, "load", 4);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    CompletableFuture<Void> secondCall = new CompletableFuture<>();
    CompletableFuture<Map<CacheKey, float[]>> leader =
        loading()
            .getAllOrLoad(
                keys,
                (missing, ready) -> {
                  ready.accept(pick(e, keys.subList(0, 2))); // the first call's answer
                  return secondCall.thenRun(() -> ready.accept(pick(e, keys.subList(2, 4))));
                });
    assertThat(leader).isNotDone();
    assertSameVectors(cache.getAll(keys), pick(e, keys.subList(0, 2)));
    // a caller waiting for the first group gets it now, not when the leader's loading ends
    CompletableFuture<Map<CacheKey, float[]>> follower =
        loading()
            .getAllOrLoad(
                keys.subList(0, 2),
                (missing, ready) -> {
                  throw new AssertionError("the keys were stored: nothing to load");
                });
    assertSameVectors(follower.join(), pick(e, keys.subList(0, 2)));
    secondCall.complete(null);
    assertSameVectors(leader.join(), e);
    assertSameVectors(cache.getAll(keys), e);
  }

  @Test
  void getAllOrLoadIgnoresKeysItDidNotAskForAndLeavesOutWhatWasNeverHandedOver() {
    Map<CacheKey, float[]> e = entries(NS, "strays", 3);
    List<CacheKey> keys = new ArrayList<>(e.keySet());
    CacheKey stray = CacheKey.of(NS, "not asked for");
    Map<CacheKey, float[]> got =
        loading()
            .getAllOrLoad(
                keys.subList(0, 2),
                (missing, ready) -> {
                  Map<CacheKey, float[]> handed = new HashMap<>(pick(e, List.of(keys.get(0))));
                  handed.put(stray, e.get(keys.get(2)));
                  ready.accept(handed);
                  return CompletableFuture.completedFuture(null);
                })
            .join();
    assertThat(got).containsOnlyKeys(keys.get(0));
    assertThat(cache.getAll(List.of(keys.get(0), keys.get(1), stray)))
        .containsOnlyKeys(keys.get(0));
  }

  @Test
  void closingTwiceIsHarmless() {
    cache.close();
    cache.close();
  }

  static Map<CacheKey, float[]> pick(Map<CacheKey, float[]> all, Collection<CacheKey> keys) {
    Map<CacheKey, float[]> m = new HashMap<>();
    for (CacheKey k : keys) {
      m.put(k, all.get(k));
    }
    return m;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}

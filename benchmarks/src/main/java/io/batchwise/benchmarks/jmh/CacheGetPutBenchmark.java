package io.batchwise.benchmarks.jmh;

import io.batchwise.benchmarks.BenchmarkMain;
import io.batchwise.benchmarks.cache.CacheFixtures;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk get (every key a hit) and bulk put of {@value #BATCH} vectors of 384 dimensions per
 * operation, for each cache backend, through the {@link EmbeddingCache} SPI as the embed pipeline
 * calls it: {@code caffeine} (memory), {@code sqlite} (a file in a temporary directory), {@code
 * redis} (a real Redis 6.2 server from embedded-redis on a free loopback port, started for the
 * trial), and Caffeine tiered in front of each of the last two. {@link CacheFixtures} sets the
 * backends up and removes them. {@value #KEYS} keys are stored before measuring; operations cycle
 * through them, so puts overwrite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = "-Dlogback.configurationFile=" + BenchmarkMain.LOGGING_CONFIGURATION)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CacheGetPutBenchmark {
  /** Keys per getAll or putAll: a typical embed call's lookup. */
  static final int BATCH = 64;

  /** Keys stored before measuring. */
  static final int KEYS = 4_096;

  private static final int DIMENSIONS = 384;

  /** The backend, as {@link CacheFixtures#BACKENDS} names it. */
  @Param({"caffeine", "sqlite", "redis", "tiered-sqlite", "tiered-redis"})
  public String backend;

  private CacheFixtures fixtures;
  private EmbeddingCache cache;
  private final List<List<CacheKey>> keyBatches = new ArrayList<>();
  private final List<Map<CacheKey, float[]>> entryBatches = new ArrayList<>();
  private int next;

  /** Creates the state; JMH calls {@link #setUp()}. */
  public CacheGetPutBenchmark() {}

  /** Starts the backend, fills it, and checks that a lookup hits. */
  @Setup(Level.Trial)
  public void setUp() {
    fixtures = new CacheFixtures();
    cache = fixtures.cache(backend, new SimpleMeterRegistry());
    Map<CacheKey, float[]> all =
        CacheFixtures.vectors("bench/model/" + DIMENSIONS + "/n", KEYS, DIMENSIONS, 23);
    Map<CacheKey, float[]> batch = new LinkedHashMap<>();
    for (Map.Entry<CacheKey, float[]> e : all.entrySet()) {
      batch.put(e.getKey(), e.getValue());
      if (batch.size() == BATCH) {
        entryBatches.add(batch);
        keyBatches.add(List.copyOf(batch.keySet()));
        cache.putAll(batch);
        batch = new LinkedHashMap<>();
      }
    }
    int found = cache.getAll(keyBatches.get(0)).size();
    if (found != BATCH) {
      throw new IllegalStateException(
          backend
              + " returned "
              + found
              + " of "
              + BATCH
              + " stored vectors; the get benchmark would measure misses");
    }
  }

  /** Closes the cache, stops Redis and deletes the SQLite files. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      cache.close();
    } finally {
      fixtures.close();
    }
  }

  /**
   * One bulk lookup, every key a hit.
   *
   * @return the vectors found
   */
  @Benchmark
  public Map<CacheKey, float[]> getAllHits() {
    List<CacheKey> keys = keyBatches.get(next);
    next = (next + 1) % keyBatches.size();
    return cache.getAll(keys);
  }

  /** One bulk store, overwriting. */
  @Benchmark
  public void putAll() {
    Map<CacheKey, float[]> entries = entryBatches.get(next);
    next = (next + 1) % entryBatches.size();
    cache.putAll(entries);
  }
}

package io.batchwise.benchmarks.cache;

import io.batchwise.Batchwise;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ByteStores;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * Backends and data for cache benchmarks (the macro {@link CacheBenchmark} and JMH get/put
 * benchmarks): every cache id on a private temporary file and a private Redis, plus deterministic
 * texts and vectors.
 *
 * <p>Redis is the 6.2 server inside embedded-redis, started on a free loopback port on first use,
 * or the server named by {@code -Dbenchmark.redis-uri}. Closing the fixtures stops the server and
 * deletes the files.
 *
 * <pre>{@code
 * try (CacheFixtures fx = new CacheFixtures()) {
 *   LoadingEmbeddingCache sqlite = fx.cache("sqlite", registry);
 *   sqlite.putAll(CacheFixtures.vectors("bench/m/384/n", 1000, 384, 1));
 * }
 * }</pre>
 */
public final class CacheFixtures implements AutoCloseable {
  /** The backends, by the id {@link #cache} and {@link #store} accept. */
  public static final List<String> BACKENDS =
      List.of("caffeine", "sqlite", "redis", "tiered-sqlite", "tiered-redis");

  private static final String[] WORDS =
      ("the a of to and in for on with as by from at retrieval"
              + " embedding vector model token batch cache query document search index agent pipeline"
              + " latency throughput memory disk network server client request response result error"
              + " language text sentence paragraph meaning similar distance cosine nearest neighbour rank")
          .split(" ");

  /**
   * The Redis timeout of every Redis backend: a benchmark measures answers, and on a busy machine
   * the 500 ms default would drop stores silently and turn the hits it measures into misses.
   */
  public static final String REDIS_TIMEOUT = "30s";

  private final Path dir;
  private RedisServer redis;
  private String redisUri = System.getProperty("benchmark.redis-uri");
  private int files;

  /** Creates the fixtures (a temporary directory; Redis starts on first use). */
  public CacheFixtures() {
    try {
      dir = Files.createTempDirectory("batchwise-cache-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The options that make {@code Batchwise.builder().cache(...)} use one backend.
   *
   * @param backend one of {@link #BACKENDS}
   * @return the cache id (first entry, key {@code cache}) and its options
   */
  public Map<String, String> options(String backend) {
    Map<String, String> o = new LinkedHashMap<>();
    switch (backend) {
      case "caffeine":
        o.put("cache", "caffeine");
        break;
      case "sqlite":
        o.put("cache", "sqlite");
        o.put("cache.path", newFile());
        break;
      case "redis":
        o.put("cache", "redis");
        o.put("cache.uri", redisUri());
        o.put("cache.redis.timeout", REDIS_TIMEOUT);
        o.put("cache.key-prefix", "bench" + (++files) + ":");
        break;
      case "tiered-sqlite":
        o.put("cache", "tiered");
        o.put("cache.back", "sqlite");
        o.put("cache.path", newFile());
        break;
      case "tiered-redis":
        o.put("cache", "tiered");
        o.put("cache.back", "redis");
        o.put("cache.uri", redisUri());
        o.put("cache.redis.timeout", REDIS_TIMEOUT);
        o.put("cache.key-prefix", "bench" + (++files) + ":");
        break;
      default:
        throw new IllegalArgumentException("unknown backend '" + backend + "'; one of " + BACKENDS);
    }
    return o;
  }

  /**
   * A Batchwise builder with {@code provider} and one backend's cache.
   *
   * @param provider the provider id, e.g. {@code local}
   * @param backend one of {@link #BACKENDS}
   * @return the builder, ready to build
   */
  public Batchwise.Builder batchwise(String provider, String backend) {
    Map<String, String> o = new HashMap<>(options(backend));
    String id = o.remove("cache");
    return Batchwise.builder().provider(provider).cache(id).options(o);
  }

  /**
   * A byte store of one backend.
   *
   * @param backend one of {@link #BACKENDS}
   * @param registry where it records its meters
   * @return the store, closed by the caller
   */
  public ByteStore store(String backend, MeterRegistry registry) {
    Map<String, String> o = new HashMap<>(options(backend));
    String id = o.remove("cache");
    return ByteStores.open(id, o, registry);
  }

  /**
   * The embedding cache of one backend.
   *
   * @param backend one of {@link #BACKENDS}
   * @param registry where it records its meters
   * @return the cache, closed by the caller
   */
  public LoadingEmbeddingCache cache(String backend, MeterRegistry registry) {
    return io.batchwise.cache.EmbeddingCaches.over(store(backend, registry), false, registry);
  }

  private String newFile() {
    return dir.resolve("cache-" + (++files) + ".db").toString();
  }

  /**
   * The Redis server's URI, starting the embedded server on first call.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public synchronized String redisUri() {
    if (redisUri == null) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        s.close();
        redis =
            RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .soutListener(line -> {})
                .serrListener(line -> {})
                .build();
        redis.start();
        redisUri = "redis://127.0.0.1:" + port;
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded Redis", e);
      }
    }
    return redisUri;
  }

  /**
   * Distinct sentence-like texts of 8-32 words, the same for the same seed.
   *
   * @param n how many
   * @param seed the seed
   * @return the texts
   */
  public static List<String> texts(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("Note ").append(i).append(':');
      int words = 8 + r.nextInt(25);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
      }
      texts.add(b.append('.').toString());
    }
    return texts;
  }

  /**
   * Random unit-free vectors under {@code namespace}, keyed by texts {@code 0..n-1}.
   *
   * @param namespace the namespace
   * @param n how many
   * @param dims their length
   * @param seed the seed
   * @return vectors by key, in order
   */
  public static Map<CacheKey, float[]> vectors(String namespace, int n, int dims, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<CacheKey, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) r.nextGaussian();
      }
      m.put(CacheKey.of(namespace, "text " + i), v);
    }
    return m;
  }

  @Override
  public synchronized void close() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException e) {
        // stopping a benchmark's server; nothing more to do
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}

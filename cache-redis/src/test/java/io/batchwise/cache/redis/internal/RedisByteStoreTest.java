package io.batchwise.cache.redis.internal;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheUnavailableException;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.redis.RedisCacheFactory;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.cache.spi.CircuitBreaker;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.LogCapture;
import io.batchwise.cache.testing.TestContexts;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.config.Config;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.FactoryContext;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis store against a real Redis server: layout, TTL, auth, timeouts, outages, the breaker.
 */
class RedisByteStoreTest {
  private static final AtomicInteger PREFIX = new AtomicInteger();
  static TestRedis redis;

  SimpleMeterRegistry registry;
  FakeTicker ticker;
  String prefix;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp() {
    if (!redis.isActive()) {
      redis.restart();
    }
    registry = new SimpleMeterRegistry();
    ticker = new FakeTicker();
    prefix = "t" + PREFIX.incrementAndGet() + ":";
  }

  private GuardedByteStore store(Duration timeout, int threshold, Duration coolDown) {
    return store(RedisURI.create(redis.uri()), timeout, threshold, coolDown, null);
  }

  private GuardedByteStore store(
      RedisURI uri, Duration timeout, int threshold, Duration coolDown, Duration ttl) {
    return RedisStores.redis(
        new RedisSettings(uri, prefix, timeout, ttl), threshold, coolDown, registry, ticker);
  }

  private double errors(String outcome) {
    return count(
        registry,
        MeterNames.CACHE_ERRORS,
        MeterNames.TAG_CACHE,
        "redis",
        MeterNames.TAG_OUTCOME,
        outcome);
  }

  @Test
  void keysCarryThePrefixAndEntriesTheirTtl() {
    try (ByteStore store =
        store(
            RedisURI.create(redis.uri()),
            Duration.ofSeconds(5),
            3,
            Duration.ofSeconds(30),
            Duration.ofMinutes(10))) {
      long writtenFrom = System.nanoTime();
      store.putAll(Map.of("default", new byte[] {1}), null);
      store.putAll(Map.of("short", new byte[] {2}), Duration.ofSeconds(30));
      store.putAll(Map.of("a*b?[c]", new byte[] {3}), null);
      redis.withConnection(
          c -> {
            assertThat(c.sync().keys(prefix + "*"))
                .containsExactlyInAnyOrder(
                    prefix + "default", prefix + "short", prefix + "a*b?[c]");
            long defaultLeft = c.sync().pttl(prefix + "default");
            long shortLeft = c.sync().pttl(prefix + "short");
            // what is left of each TTL: all of it, less at most the time since the writes began
            long since = (System.nanoTime() - writtenFrom) / 1_000_000 + 1;
            assertThat(defaultLeft).isBetween(600_000L - since, 600_000L);
            assertThat(shortLeft).isBetween(30_000L - since, 30_000L);
          });
      assertThat(store.getAll(List.of("default", "short", "a*b?[c]", "absent")))
          .containsOnlyKeys("default", "short", "a*b?[c]");
    }
  }

  @Test
  void clearAndDeleteByPrefixTouchOnlyThisPrefixEvenWithGlobCharacters() {
    redis.withConnection(c -> c.sync().set(prefix.replace(":", "") + "x-foreign", "keep"));
    try (ByteStore store = store(Duration.ofSeconds(5), 3, Duration.ofSeconds(30))) {
      Map<String, byte[]> many = new HashMap<>();
      for (int i = 0; i < 2_500; i++) {
        many.put("emb:ns*:" + i, new byte[] {1});
      }
      many.put("emb:nsX:1", new byte[] {1});
      many.put("memo:1", new byte[] {1});
      store.putAll(many, null);

      store.deleteByPrefix("emb:ns*:");
      assertThat(store.getAll(List.of("emb:ns*:7", "emb:nsX:1", "memo:1")))
          .containsOnlyKeys("emb:nsX:1", "memo:1");

      store.clear();
      assertThat(store.getAll(List.of("emb:nsX:1", "memo:1"))).isEmpty();
    }
    redis.withConnection(
        c -> assertThat(c.sync().get(prefix.replace(":", "") + "x-foreign")).isEqualTo("keep"));
  }

  @Test
  void aPasswordProtectedServerIsUsedWithThePasswordWhichNeverAppearsInLogsOrMessages() {
    String password = "s3cret-Pa55word";
    try (TestRedis secured = TestRedis.start(password);
        LogCapture everything = LogCapture.root(Level.DEBUG)) {
      RedisCacheFactory f = new RedisCacheFactory();
      FactoryContext good =
          TestContexts.of(
              f,
              Map.of(
                  "cache.uri",
                  secured.uri(),
                  "cache.redis.password",
                  password,
                  "cache.key-prefix",
                  prefix,
                  "cache.redis.timeout",
                  "30s"),
              registry);
      CacheKey k = CacheKey.of(Vectors.NS, "auth");
      try (LoadingEmbeddingCache cache = (LoadingEmbeddingCache) f.create(good)) {
        cache.putAll(Map.of(k, new float[] {1, 2}));
        assertThat(cache.getAll(List.of(k))).containsKey(k);
        assertThat(cache.toString()).doesNotContain(password);
        assertThat(cache.store().toString()).doesNotContain(password);
      }
      assertThat(good.config().toString()).doesNotContain(password);

      FactoryContext inUri =
          TestContexts.of(
              f,
              Map.of(
                  "cache.uri",
                  "redis://:" + password + "-wrong@127.0.0.1:" + secured.port(),
                  "cache.key-prefix",
                  prefix),
              registry);
      try (LoadingEmbeddingCache cache = (LoadingEmbeddingCache) f.create(inUri)) {
        assertThat(cache.getAll(List.of(k))).isEmpty(); // wrong password: a miss, not a failure
        assertThat(cache.store().toString()).doesNotContain(password);
        assertThatThrownBy(cache::clear)
            .isInstanceOf(CacheUnavailableException.class)
            .satisfies(e -> assertThat(stackText(e)).doesNotContain(password));
      }
      assertThat(inUri.config().toString()).doesNotContain(password);
      assertThat(errors("failure")).isGreaterThanOrEqualTo(1);
      assertThat(everything.everything()).isNotEmpty().doesNotContain(password);
    }
  }

  private static String stackText(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  @Test
  void aBadUriIsAConfigurationErrorThatDoesNotEchoTheValue() {
    RedisCacheFactory f = new RedisCacheFactory();
    assertThatThrownBy(
            () ->
                RedisStores.redisSettings(
                    TestContexts.of(f, Map.of("cache.uri", "http://user:hunter2@host"), registry)
                        .config()))
        .hasMessageContaining("cache.uri")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                RedisStores.redisSettings(
                    TestContexts.of(f, Map.of("cache.redis.username", "bob"), registry).config()))
        .hasMessageContaining("cache.redis.password");
  }

  @Test
  void tlsAndCredentialsOptionsReachTheConnectionSettings() {
    RedisCacheFactory f = new RedisCacheFactory();
    Config config =
        TestContexts.of(
                f,
                Map.of(
                    "cache.uri",
                    "redis://cache.example:6380/2",
                    "cache.redis.tls",
                    "true",
                    "cache.redis.username",
                    "app",
                    "cache.redis.password",
                    "pw",
                    "cache.redis.timeout",
                    "750ms",
                    "cache.ttl",
                    "1h"),
                registry)
            .config();
    RedisSettings s = RedisStores.redisSettings(config);
    assertThat(s.uri().isSsl()).isTrue();
    assertThat(s.uri().isVerifyPeer()).isTrue();
    assertThat(s.uri().getDatabase()).isEqualTo(2);
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(s.ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(s.keyPrefix()).isEqualTo("batchwise:");
    assertThat(s.toString()).contains("rediss://cache.example:6380/2").doesNotContain("pw");
    assertThat(
            RedisStores.redisSettings(
                    TestContexts.of(f, Map.of("cache.uri", "rediss://h:1"), registry).config())
                .uri()
                .isSsl())
        .isTrue();
  }

  @Test
  void aSlowRedisIsATimeoutAndAMissNotAWait() {
    try (GuardedByteStore store = store(Duration.ofMillis(200), 3, Duration.ofSeconds(30))) {
      store.putAll(Map.of("k", new byte[] {1}), null);
      // paused far longer than any busy machine delays a 200 ms timeout; stopped afterwards (the
      // next
      // test starts it again) rather than waited for
      redis.withConnection(c -> c.sync().clientPause(120_000));
      try {
        long start = System.nanoTime();
        Map<String, byte[]> found = store.getAll(List.of("k"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(found).isEmpty();
        assertThat(tookMillis)
            .as("bounded by the 200 ms timeout, not the 120 s pause")
            .isLessThan(60_000);
        assertThat(errors("timeout")).isEqualTo(1);
      } finally {
        redis.stop();
      }
    }
  }

  @Test
  void theBreakerOpensWhenRedisDiesProbesAfterTheCoolDownAndClosesWhenRedisIsBack() {
    // a stopped server refuses at once; the timeout only bounds calls to the live one, however busy
    // the machine
    try (GuardedByteStore store = store(Duration.ofSeconds(30), 2, Duration.ofSeconds(10));
        LogCapture log = LogCapture.of(GuardedByteStore.class)) {
      store.putAll(Map.of("k", new byte[] {1}), null);
      assertThat(store.getAll(List.of("k"))).containsKey("k");
      assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);

      redis.stop();
      assertThat(store.getAll(List.of("k"))).isEmpty();
      assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
      store.putAll(Map.of("k2", new byte[] {2}), null); // dropped, second consecutive failure
      assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(errors("failure")).isEqualTo(2);

      assertThat(store.getAll(List.of("k"))).isEmpty();
      store.putAll(Map.of("k3", new byte[] {3}), null);
      assertThat(errors("rejected")).as("no call while open").isEqualTo(2);
      assertThat(errors("failure")).isEqualTo(2);

      ticker.advance(Duration.ofSeconds(11)); // cool-down over, Redis still down
      assertThat(store.getAll(List.of("k"))).isEmpty(); // the probe fails
      assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(errors("failure")).isEqualTo(3);

      redis.restart();
      assertThat(store.getAll(List.of("k"))).as("still cooling down").isEmpty();
      assertThat(errors("rejected")).isEqualTo(3);
      ticker.advance(Duration.ofSeconds(11));
      store.putAll(Map.of("k4", new byte[] {4}), null); // the probe: reconnects and succeeds
      assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(store.getAll(List.of("k4"))).containsKey("k4");

      assertThat(log.events()).as("one message per transition").hasSize(5);
      assertThat(log.messages(Level.WARN))
          .hasSize(2)
          .allSatisfy(m -> assertThat(m).contains("is unavailable", "lookups are misses"));
      assertThat(log.messages(Level.INFO)).hasSize(3);
      assertThat(log.messages(Level.INFO).get(0)).contains("probing");
      assertThat(log.messages(Level.INFO).get(1)).contains("probing");
      assertThat(log.messages(Level.INFO).get(2)).contains("is back");
    }
  }

  @Test
  void invalidatingWhileRedisIsDownFailsLoudly() {
    try (GuardedByteStore store = store(Duration.ofMillis(500), 1, Duration.ofSeconds(10))) {
      redis.stop();
      assertThatThrownBy(() -> store.delete(List.of("k")))
          .isInstanceOf(CacheUnavailableException.class)
          .hasMessageContaining("failed");
      assertThatThrownBy(() -> store.deleteByPrefix("emb:"))
          .isInstanceOf(CacheUnavailableException.class)
          .hasMessageContaining("circuit breaker open");
      redis.restart();
    }
  }

  @Test
  void anApplicationStartsWhileRedisIsDown() {
    redis.stop();
    RedisCacheFactory f = new RedisCacheFactory();
    try (LoadingEmbeddingCache cache =
        (LoadingEmbeddingCache)
            f.create(
                TestContexts.of(
                    f, Map.of("cache.uri", redis.uri(), "cache.key-prefix", prefix), registry))) {
      CacheKey k = CacheKey.of(Vectors.NS, "early");
      assertThat(cache.getAll(List.of(k))).isEmpty();
      cache.putAll(Map.of(k, new float[] {1}));
    } finally {
      redis.restart();
    }
  }
}

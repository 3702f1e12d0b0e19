package io.batchwise.cache.redis;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.batchwise.Batchwise;
import io.batchwise.Embedding;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.testing.LogCapture;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.meters.MeterNames;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real embedding job through {@code Batchwise.builder()} with the {@code redis} cache, during
 * which Redis dies: every input is still embedded, correctly and in order.
 */
class RedisOutageJobTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double redisErrors(String outcome) {
    return count(
        registry,
        MeterNames.CACHE_ERRORS,
        MeterNames.TAG_CACHE,
        "redis",
        MeterNames.TAG_OUTCOME,
        outcome);
  }

  @Test
  void redisDyingInTheMiddleOfAJobCostsCacheHitsNotEmbeddings() {
    List<String> texts = Vectors.texts("doc", 1_000);
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (TestRedis redis = TestRedis.start();
        LogCapture guard = LogCapture.of(GuardedByteStore.class);
        Batchwise bw =
            Batchwise.builder()
                .provider(provider)
                .cache("redis")
                .options(
                    Map.of(
                        "cache.uri", redis.uri(),
                        // a dead server is refused at once; no call here may time out, however busy
                        // the machine
                        "cache.redis.timeout", "30s",
                        "cache.breaker.failure-threshold", "2",
                        "stream-window", "100"))
                .meterRegistry(registry)
                .sources(new Properties(), Map.of())
                .build()) {
      // an earlier run cached the first 300 texts
      assertThat(bw.embedder().embedAll(texts.subList(0, 300)).allSucceeded()).isTrue();
      int callsBefore = provider.calls.size();

      // the job: Redis stops when the 500th text is read
      Iterator<String> source = texts.iterator();
      Iterator<String> killingSource =
          new Iterator<>() {
            int read;

            @Override
            public boolean hasNext() {
              return source.hasNext();
            }

            @Override
            public String next() {
              if (++read == 500) {
                redis.stop();
              }
              return source.next();
            }
          };
      List<Embedding> out = new ArrayList<>();
      try (Stream<Embedding> stream = bw.embedder().embedStream(killingSource)) {
        stream.forEach(out::add);
      }

      assertThat(redis.isActive()).isFalse();
      assertThat(out).hasSize(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        Embedding e = out.get(i);
        assertThat(e.index()).isEqualTo(i);
        assertThat(e.succeeded()).as("input %d", i).isTrue();
        assertThat(e.vector()).containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
      }
      long hits = out.stream().filter(Embedding::cacheHit).count();
      assertThat(hits)
          .as("the cached texts read before Redis died were hits")
          .isPositive()
          .isLessThanOrEqualTo(300);
      assertThat(provider.calls.size()).isGreaterThan(callsBefore);
      assertThat(redisErrors("failure") + redisErrors("timeout")).isGreaterThanOrEqualTo(2);
      assertThat(redisErrors("rejected")).as("the breaker spared the dead server").isPositive();
      assertThat(guard.messages(Level.WARN))
          .as("one warning when the breaker opened")
          .singleElement()
          .asString()
          .contains("Redis cache at", "is unavailable");
    }
  }
}

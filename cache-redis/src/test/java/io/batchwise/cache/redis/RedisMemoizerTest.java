package io.batchwise.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ByteStores;
import io.batchwise.cache.MemoizedFunction;
import io.batchwise.cache.Memoizer;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.redis.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Memoized functions over Redis share their results between machines. */
class RedisMemoizerTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger calls = new AtomicInteger();

  private String shout(String s) {
    calls.incrementAndGet();
    return s.toUpperCase(Locale.ROOT) + "!";
  }

  @Test
  void twoMachinesShareResultsThroughRedisWithTheTtlOnTheKey() {
    try (TestRedis redis = TestRedis.start();
        ByteStore a =
            ByteStores.open(
                "redis", Map.of("cache.uri", redis.uri(), "cache.redis.timeout", "30s"), registry);
        ByteStore b =
            ByteStores.open(
                "redis",
                Map.of("cache.uri", redis.uri(), "cache.redis.timeout", "30s"),
                registry)) {
      Function<String, String> fn = this::shout;
      MemoizedFunction<String, String> onA =
          Memoizer.builder()
              .store(a)
              .build()
              .memoize("shared", fn, ValueCodec.utf8(), Duration.ofMinutes(5), -1);
      MemoizedFunction<String, String> onB =
          Memoizer.builder()
              .store(b)
              .build()
              .memoize("shared", fn, ValueCodec.utf8(), Duration.ofMinutes(5), -1);
      assertThat(onA.apply("x")).isEqualTo("X!");
      assertThat(onB.apply("x")).isEqualTo("X!");
      assertThat(calls).hasValue(1);
      redis.withConnection(
          c -> {
            List<String> keys = c.sync().keys("batchwise:memo:*");
            assertThat(keys).hasSize(1);
            assertThat(c.sync().pttl(keys.get(0))).isBetween(290_000L, 300_000L);
          });

      onB.invalidateAll();
      assertThat(onA.apply("x")).as("A's memory still holds it").isEqualTo("X!");
      assertThat(calls).hasValue(1);
      onA.invalidate("x");
      assertThat(onA.apply("x")).isEqualTo("X!");
      assertThat(calls).hasValue(2);
    }
  }
}

package io.batchwise.examples.caffeineonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.cache.ByteStores;
import io.batchwise.spi.CacheFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "Pick your modules" for caches: this module's test classpath is core, batchwise-cache, the
 * custom-provider example (which needs only core) and their dependencies (plus the test libraries),
 * exactly what an app with an in-memory cache ships with. The app caches through Caffeine, and no
 * database driver is there.
 */
class PickYourCacheTest {

  private static Batchwise.Builder builder() {
    return Batchwise.builder().sources(new Properties(), Map.of()).provider("hashing");
  }

  @Test
  @DisplayName(
      "no SQLite driver, Lettuce, Netty or Reactor is on the classpath, and only core's and batchwise-cache's caches are found")
  void noDatabaseDriverOnTheClasspath() {
    for (String name :
        List.of(
            "org.sqlite.JDBC",
            "io.lettuce.core.RedisClient",
            "io.netty.channel.Channel",
            "reactor.core.publisher.Mono")) {
      assertThatThrownBy(() -> Class.forName(name))
          .as(name)
          .isInstanceOf(ClassNotFoundException.class);
    }
    assertThat(ServiceLoader.load(CacheFactory.class).stream().map(p -> p.get().id()).toList())
        .containsExactlyInAnyOrder("none", "caffeine", "tiered");
  }

  @Test
  @DisplayName(
      "asking for sqlite, redis or a tiered cache over either fails at build() naming the artifact to add")
  void aMissingBackendNamesItsArtifact() {
    assertThatThrownBy(() -> builder().cache("sqlite").build())
        .hasMessageContaining("'sqlite'")
        .hasMessageContaining("io.batchwise:batchwise-cache-sqlite");
    assertThatThrownBy(() -> builder().cache("redis").build())
        .hasMessageContaining("'redis'")
        .hasMessageContaining("io.batchwise:batchwise-cache-redis");
    assertThatThrownBy(() -> builder().cache("tiered").build())
        .as("cache.back defaults to sqlite")
        .hasMessageContaining("cache.back")
        .hasMessageContaining("io.batchwise:batchwise-cache-sqlite");
    assertThatThrownBy(() -> builder().cache("tiered").option("cache.back", "redis").build())
        .hasMessageContaining("cache.back")
        .hasMessageContaining("io.batchwise:batchwise-cache-redis");
    assertThatThrownBy(() -> ByteStores.open("sqlite", Map.of(), new SimpleMeterRegistry()))
        .hasMessageContaining("io.batchwise:batchwise-cache-sqlite");
  }

  @Test
  @DisplayName("the app's second run is answered by the Caffeine cache")
  void theSecondRunIsAnsweredByCaffeine() {
    List<String> texts = List.of("alpha", "beta", "gamma", "beta");
    List<EmbedResult> runs =
        CaffeineOnlyApp.embedTwice(texts, Map.of(), new Properties(), Map.of());
    assertThat(runs.get(0).usage().cacheHits()).isZero();
    assertThat(runs.get(0).usage().uniqueInputs()).isEqualTo(3);
    assertThat(runs.get(1).usage().cacheHits()).isEqualTo(3);
    assertThat(runs.get(1).usage().providerCalls()).isZero();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(runs.get(1).vectors().get(i))
          .as("text %d", i)
          .containsExactly(runs.get(0).vectors().get(i));
    }
  }
}

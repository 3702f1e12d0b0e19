package io.batchwise.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.internal.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CacheKey;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheFactoriesTest {
  @TempDir Path dir;

  @Test
  void serviceLoaderFindsEveryCacheById() {
    FactoryRegistry<CacheFactory> registry = FactoryRegistry.of(CacheFactory.class);
    assertThat(registry.ids()).contains("caffeine", "sqlite", "redis", "tiered");
    assertThat(registry.find("sqlite")).isInstanceOf(SqliteCacheFactory.class)
        .isInstanceOf(ByteStoreFactory.class);
  }

  @Test
  void everyOptionIsDeclaredOnceWithADescriptionAndSecretsAreMarked() {
    List<String> keys = CacheOptions.all().stream().map(ConfigOption::key).collect(Collectors.toList());
    assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith("cache."));
    assertThat(CacheOptions.all()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
    assertThat(CacheOptions.REDIS_PASSWORD.secret()).isTrue();
    assertThat(CacheOptions.URI.secret()).as("a URI may carry a password").isTrue();
    assertThat(new RedisCacheFactory().options()).contains(CacheOptions.URI, CacheOptions.REDIS_TIMEOUT,
        CacheOptions.BREAKER_COOL_DOWN);
    assertThat(new TieredCacheFactory().options()).containsAll(new SqliteCacheFactory().options())
        .containsAll(new RedisCacheFactory().options()).containsAll(new CaffeineCacheFactory().options());
  }

  @Test
  void batchwiseBuildsAConfiguredCacheByIdAndEmbedsThroughIt() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    Path path = dir.resolve("bw.db");
    try (Batchwise bw = Batchwise.builder().provider(provider).cache("tiered")
        .options(Map.of("cache.back", "sqlite", "cache.path", path.toString(), "cache.max-entries", "1000"))
        .meterRegistry(new SimpleMeterRegistry())
        .sources(new Properties(), Map.of())
        .build()) {
      assertThat(bw.cache()).isInstanceOf(LoadingEmbeddingCache.class);
      bw.embedder().embedAll(List.of("a", "b", "c"));
      int calls = provider.calls.size();
      var again = bw.embedder().embedAll(List.of("a", "b", "c"));
      assertThat(provider.calls).hasSize(calls);
      assertThat(again.usage().cacheHits()).isEqualTo(3);
      String ns = bw.embedder().identity().namespace();
      assertThat(bw.cache().getAll(List.of(CacheKey.of(ns, "a")))).hasSize(1);
    }
    assertThat(path).exists();
  }

  @Test
  void aBadOptionFailsAtBuildNamingTheOption() {
    assertThatThrownBy(() -> Batchwise.builder().provider(FakeEmbeddingProvider.small())
        .cache("caffeine").option("cache.max-bytes", "a lot")
        .sources(new Properties(), Map.of()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cache.max-bytes");
    assertThatThrownBy(() -> Batchwise.builder().provider(FakeEmbeddingProvider.small())
        .cache("tiered").option("cache.back", "floppy")
        .sources(new Properties(), Map.of()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cache.back")
        .hasMessageContaining("floppy");
  }

  @Test
  void byteStoresOpensAStoreByIdAndRefusesUnknownOptions() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ByteStore store = ByteStores.open("caffeine", Map.of("cache.max-entries", "10"), registry)) {
      store.putAll(Map.of("k", new byte[] {1}), null);
      assertThat(store.getAll(List.of("k"))).containsKey("k");
      assertThat(store.id()).isEqualTo("caffeine");
    }
    assertThatThrownBy(() -> ByteStores.open("caffeine", Map.of("cache.path", "x"), registry))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cache.path");
    assertThatThrownBy(() -> ByteStores.open("nope", Map.of(), registry))
        .hasMessageContaining("nope").hasMessageContaining("caffeine");
  }
}

package io.batchwise.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CacheFactoriesTest {

  @Test
  void serviceLoaderFindsEveryCacheById() {
    FactoryRegistry<CacheFactory> registry = FactoryRegistry.of(CacheFactory.class);
    assertThat(registry.ids()).contains("caffeine", "tiered");
    assertThat(registry.find("caffeine"))
        .isInstanceOf(CaffeineCacheFactory.class)
        .isInstanceOf(ByteStoreFactory.class);
  }

  @Test
  void everyOptionIsDeclaredOnceWithADescription() {
    List<String> keys =
        CacheOptions.all().stream().map(ConfigOption::key).collect(Collectors.toList());
    assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith("cache."));
    assertThat(CacheOptions.all()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
    assertThat(new TieredCacheFactory().options())
        .containsAll(new CaffeineCacheFactory().options())
        .containsAll(CacheOptions.all());
  }

  @Test
  void aTieredCacheWhoseBackIsMissingFailsAtBuildNamingTheOptionAndTheArtifact() {
    assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .provider(FakeEmbeddingProvider.small())
                    .cache("tiered")
                    .option("cache.back", "sqlite")
                    .sources(new Properties(), Map.of())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.back")
        .hasMessageContaining("io.batchwise:batchwise-cache-sqlite");
    assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .provider(FakeEmbeddingProvider.small())
                    .cache("tiered")
                    .option("cache.back", "caffeine")
                    .sources(new Properties(), Map.of())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.back")
        .hasMessageContaining("'caffeine'");
  }

  @Test
  void aBadOptionFailsAtBuildNamingTheOption() {
    assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .provider(FakeEmbeddingProvider.small())
                    .cache("caffeine")
                    .option("cache.max-bytes", "a lot")
                    .sources(new Properties(), Map.of())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.max-bytes");
    assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .provider(FakeEmbeddingProvider.small())
                    .cache("tiered")
                    .option("cache.back", "floppy")
                    .sources(new Properties(), Map.of())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.back")
        .hasMessageContaining("floppy");
  }

  @Test
  void byteStoresOpensAStoreByIdAndRefusesUnknownOptions() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ByteStore store =
        ByteStores.open("caffeine", Map.of("cache.max-entries", "10"), registry)) {
      store.putAll(Map.of("k", new byte[] {1}), null);
      assertThat(store.getAll(List.of("k"))).containsKey("k");
      assertThat(store.id()).isEqualTo("caffeine");
    }
    assertThatThrownBy(() -> ByteStores.open("caffeine", Map.of("cache.path", "x"), registry))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.path");
    assertThatThrownBy(() -> ByteStores.open("nope", Map.of(), registry))
        .hasMessageContaining("nope")
        .hasMessageContaining("caffeine");
  }
}

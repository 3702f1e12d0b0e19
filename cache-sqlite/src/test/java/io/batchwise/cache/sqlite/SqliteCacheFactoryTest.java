package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.cache.ByteStoreFactory;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.TieredCacheFactory;
import io.batchwise.config.ConfigOption;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CacheKey;
import io.batchwise.testing.FakeEmbeddingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite cache found by id, its options, and the tiered cache over it. */
class SqliteCacheFactoryTest {
  @TempDir Path dir;

  @Test
  void serviceLoaderFindsTheSqliteCacheById() {
    FactoryRegistry<CacheFactory> registry = FactoryRegistry.of(CacheFactory.class);
    assertThat(registry.ids()).contains("caffeine", "sqlite", "tiered");
    assertThat(registry.find("sqlite"))
        .isInstanceOf(SqliteCacheFactory.class)
        .isInstanceOf(ByteStoreFactory.class);
  }

  @Test
  void everyOptionIsDeclaredOnceWithADescription() {
    List<String> keys =
        SqliteOptions.all().stream().map(ConfigOption::key).collect(Collectors.toList());
    assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith("cache."));
    assertThat(keys)
        .as("declared in batchwise-cache, not again here")
        .doesNotContainAnyElementsOf(CacheOptions.all().stream().map(ConfigOption::key).toList());
    assertThat(SqliteOptions.all()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
    assertThat(new SqliteCacheFactory().options())
        .containsAll(SqliteOptions.all())
        .containsAll(CacheOptions.STORE);
    assertThat(new TieredCacheFactory().options()).containsAll(new SqliteCacheFactory().options());
  }

  @Test
  void batchwiseBuildsAConfiguredCacheByIdAndEmbedsThroughIt() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    Path path = dir.resolve("bw.db");
    try (Batchwise bw =
        Batchwise.builder()
            .provider(provider)
            .cache("tiered")
            .options(
                Map.of(
                    "cache.back",
                    "sqlite",
                    "cache.path",
                    path.toString(),
                    "cache.max-entries",
                    "1000"))
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
  void aTieredCacheServesWhatAnotherProcessStoredAndKeepsItInItsFront() throws Exception {
    Path path = dir.resolve("shared.db");
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (Batchwise writer = tiered(provider, path)) {
      writer.embedder().embedAll(List.of("kept"));
    }
    int calls = provider.calls.size();
    try (Batchwise reader = tiered(provider, path)) {
      assertThat(reader.embedder().embedAll(List.of("kept")).usage().cacheHits()).isEqualTo(1);
      try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + path);
          Statement s = raw.createStatement()) {
        s.execute("DELETE FROM batchwise_entries");
      }
      assertThat(reader.embedder().embedAll(List.of("kept")).usage().cacheHits())
          .as("served by the front after the file lost it")
          .isEqualTo(1);
    }
    assertThat(provider.calls).as("embedded once, by the first process").hasSize(calls);
  }

  private static Batchwise tiered(FakeEmbeddingProvider provider, Path path) {
    return Batchwise.builder()
        .provider(provider)
        .cache("tiered")
        .options(Map.of("cache.back", "sqlite", "cache.path", path.toString()))
        .sources(new Properties(), Map.of())
        .build();
  }
}

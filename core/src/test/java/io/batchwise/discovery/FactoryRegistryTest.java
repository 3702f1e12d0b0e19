package io.batchwise.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.internal.discovery.NoCacheFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.testing.FakeProviderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FactoryRegistryTest {
  private final FactoryRegistry<EmbeddingProviderFactory> providers =
      FactoryRegistry.of(EmbeddingProviderFactory.class);

  @Test
  @DisplayName("finds a factory registered in META-INF/services by its id")
  void findsById() {
    assertThat(providers.find("fake")).isInstanceOf(FakeProviderFactory.class);
  }

  @Test
  @DisplayName("skips a factory that fails to load and keeps the others")
  void skipsBrokenFactories() {
    assertThat(providers.ids()).contains("fake", "twin").doesNotContain("broken");
  }

  @Test
  @DisplayName("an unknown id names the id and lists the ids found")
  void unknownIdListsWhatWasFound() {
    assertThatThrownBy(() -> providers.find("nope"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'nope'")
        .hasMessageContaining("fake")
        .hasMessageContaining("twin");
  }

  @Test
  @DisplayName("a known id that is missing names the artifact to add")
  void missingKnownIdNamesTheArtifact() {
    assertThatThrownBy(() -> providers.find("local"))
        .hasMessageContaining("io.batchwise:batchwise-providers-local");
    assertThatThrownBy(() -> FactoryRegistry.of(CacheFactory.class).find("redis"))
        .hasMessageContaining("io.batchwise:batchwise-cache-redis");
    assertThatThrownBy(() -> FactoryRegistry.of(CacheFactory.class).find("sqlite"))
        .hasMessageContaining("io.batchwise:batchwise-cache-sqlite");
    assertThatThrownBy(() -> FactoryRegistry.of(CacheFactory.class).find("caffeine"))
        .hasMessageContaining("io.batchwise:batchwise-cache to use 'caffeine'");
  }

  @Test
  @DisplayName("two factories with one id fail with both class names")
  void duplicateIdsNameBothClasses() {
    assertThatThrownBy(() -> providers.find("twin"))
        .hasMessageContaining("io.batchwise.testing.TwinFactoryA")
        .hasMessageContaining("io.batchwise.testing.TwinFactoryB");
  }

  @Test
  @DisplayName("core registers the null cache as 'none'")
  void coreRegistersNoCache() {
    assertThat(FactoryRegistry.of(CacheFactory.class).find("none"))
        .isInstanceOf(NoCacheFactory.class);
  }
}

package io.batchwise.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.ByteStoreFactory;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.TieredCacheFactory;
import io.batchwise.config.ConfigOption;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The redis cache found by id, and its options. */
class RedisCacheFactoryTest {

  @Test
  void serviceLoaderFindsTheRedisCacheById() {
    FactoryRegistry<CacheFactory> registry = FactoryRegistry.of(CacheFactory.class);
    assertThat(registry.ids()).contains("caffeine", "redis", "tiered");
    assertThat(registry.find("redis"))
        .isInstanceOf(RedisCacheFactory.class)
        .isInstanceOf(ByteStoreFactory.class);
  }

  @Test
  void everyOptionIsDeclaredOnceWithADescriptionAndSecretsAreMarked() {
    List<String> keys =
        RedisOptions.all().stream().map(ConfigOption::key).collect(Collectors.toList());
    assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith("cache."));
    assertThat(keys)
        .as("declared in batchwise-cache, not again here")
        .doesNotContainAnyElementsOf(CacheOptions.all().stream().map(ConfigOption::key).toList());
    assertThat(RedisOptions.all()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
    assertThat(RedisOptions.PASSWORD.secret()).isTrue();
    assertThat(RedisOptions.URI.secret()).as("a URI may carry a password").isTrue();
    assertThat(new RedisCacheFactory().options())
        .contains(RedisOptions.URI, RedisOptions.TIMEOUT, CacheOptions.BREAKER_COOL_DOWN);
    assertThat(new TieredCacheFactory().options()).containsAll(new RedisCacheFactory().options());
  }
}

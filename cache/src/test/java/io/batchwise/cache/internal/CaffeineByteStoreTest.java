package io.batchwise.cache.internal;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.CaffeineCacheFactory;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.TestContexts;
import io.batchwise.config.ConfigurationException;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaffeineByteStoreTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakeTicker ticker = new FakeTicker();

  private CaffeineByteStore store(CaffeineSettings settings) {
    return Stores.caffeine("caffeine", settings, registry, ticker);
  }

  private static Map<String, byte[]> entries(int n, int size) {
    Map<String, byte[]> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, new byte[size]);
    }
    return m;
  }

  private static List<String> keys(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add("k" + i);
    }
    return keys;
  }

  private double evictions() {
    return count(registry, MeterNames.CACHE_EVICTIONS, MeterNames.TAG_CACHE, "caffeine");
  }

  @Test
  void aBoundByEntriesEvictsTheExcessAndCountsIt() {
    CaffeineByteStore store = store(CaffeineSettings.ofEntries(100));
    store.putAll(entries(250, 8), null);
    assertThat(store.size()).isEqualTo(100);
    assertThat(store.getAll(keys(250))).hasSize(100);
    assertThat(evictions()).isEqualTo(150);
  }

  @Test
  void aBoundByBytesWeighsValuesByTheirSize() {
    CaffeineByteStore store = store(new CaffeineSettings(0, 200 * 1024, null, null));
    store.putAll(entries(100, 1024), null); // ~1.1 KB each with key and overhead: all fit
    assertThat(store.size()).isEqualTo(100);
    store.putAll(Map.of("big", new byte[150 * 1024]), null);
    assertThat(store.size()).isLessThan(100);
    assertThat(evictions()).isPositive();
  }

  @Test
  void decodedVectorsAreWeighedByTheirFloats() {
    CaffeineByteStore store = store(new CaffeineSettings(0, 100 * 1024, null, null));
    Map<String, float[]> vectors = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      vectors.put("v" + i, new float[384]); // ~1.6 KB each: 160 KB do not fit in 100 KB
    }
    store.putDecoded(vectors, KeyParts.FULL, ValueCodec.floatVectors(false), null);
    assertThat(store.size()).isBetween(50L, 65L);
  }

  @Test
  void entriesExpireAfterWrite() {
    CaffeineByteStore store = store(new CaffeineSettings(100, 0, Duration.ofMinutes(5), null));
    store.putAll(Map.of("a", new byte[] {1}), null);
    ticker.advance(Duration.ofMinutes(4));
    assertThat(store.getAll(List.of("a"))).containsKey("a");
    ticker.advance(Duration.ofMinutes(2));
    assertThat(store.getAll(List.of("a"))).isEmpty();
    store.cleanUp();
    assertThat(evictions()).isEqualTo(1);
  }

  @Test
  void entriesExpireAfterAccessButNotBeyondTheirWriteExpiry() {
    CaffeineByteStore store =
        store(new CaffeineSettings(100, 0, Duration.ofMinutes(10), Duration.ofMinutes(3)));
    store.putAll(Map.of("a", new byte[] {1}, "b", new byte[] {2}), null);
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofMinutes(2));
      assertThat(store.getAll(List.of("a"))).as("read every 2 minutes keeps it").containsKey("a");
    }
    assertThat(store.getAll(List.of("b"))).as("unread for 6 minutes").isEmpty();
    ticker.advance(Duration.ofMinutes(2));
    assertThat(store.getAll(List.of("a"))).containsKey("a");
    ticker.advance(Duration.ofMinutes(2)); // 10 minutes after the write
    assertThat(store.getAll(List.of("a"))).isEmpty();
  }

  @Test
  void aPerEntryTtlShortensButNeverLengthensTheConfiguredExpiry() {
    CaffeineByteStore store = store(new CaffeineSettings(100, 0, Duration.ofMinutes(10), null));
    store.putAll(Map.of("short", new byte[] {1}), Duration.ofMinutes(1));
    store.putAll(Map.of("long", new byte[] {1}), Duration.ofHours(1));
    ticker.advance(Duration.ofMinutes(2));
    assertThat(store.getAll(List.of("short", "long"))).containsOnlyKeys("long");
    ticker.advance(Duration.ofMinutes(9));
    assertThat(store.getAll(List.of("long"))).isEmpty();
    assertThatThrownBy(() -> store.putAll(Map.of("x", new byte[0]), Duration.ZERO))
        .hasMessageContaining("ttl must be positive");
  }

  @Test
  void bytesAndDecodedValuesAreTheSameEntries() {
    CaffeineByteStore store = store(CaffeineSettings.ofEntries(10));
    ValueCodec<float[]> codec = ValueCodec.floatVectors(false);
    store.putDecoded(Map.of("v", new float[] {1.5f, -2}), KeyParts.FULL, codec, null);
    byte[] framed = store.getAll(List.of("v")).get("v");
    assertThat(ValueFrame.decode(codec, framed)).containsExactly(1.5f, -2);

    store.putAll(Map.of("w", ValueFrame.encode(codec, new float[] {3})), null);
    Map<String, float[]> got = new HashMap<>();
    store.getDecoded(List.of("w"), KeyParts.FULL, codec, got::put, (k, e) -> {});
    assertThat(got.get("w")).containsExactly(3);
  }

  @Test
  void theEmbeddingViewReadsVectorsWhicheverWayTheyWereStored() {
    CaffeineByteStore store = store(CaffeineSettings.ofEntries(100));
    io.batchwise.cache.LoadingEmbeddingCache view = Stores.embeddingCache(store, false, registry);
    io.batchwise.spi.CacheKey decoded = io.batchwise.spi.CacheKey.of("p/m/2/n", "decoded");
    io.batchwise.spi.CacheKey asBytes = io.batchwise.spi.CacheKey.of("p/m/2/n", "bytes");
    io.batchwise.spi.CacheKey odd = new io.batchwise.spi.CacheKey("p/m/2/n", "a:b");
    view.putAll(Map.of(decoded, new float[] {1, 2}, odd, new float[] {5, 6}));
    store.putAll(
        Map.of(
            ByteStoreEmbeddingCache.storeKey(asBytes),
            ValueFrame.encode(ValueCodec.floatVectors(true), new float[] {3, 4})),
        null);

    Map<io.batchwise.spi.CacheKey, float[]> got = view.getAll(List.of(decoded, asBytes, odd));
    assertThat(got.get(decoded)).containsExactly(1, 2);
    assertThat(got.get(asBytes)).containsExactly(3, 4);
    assertThat(got.get(odd)).containsExactly(5, 6);
    assertThat(view.getAll(List.of(decoded))).containsOnlyKeys(decoded);
    assertThat(store.getAll(List.of(ByteStoreEmbeddingCache.storeKey(decoded)))).hasSize(1);
    view.invalidateNamespace("p/m/2/n");
    assertThat(store.size()).isZero();
  }

  @Test
  void vectorsKeepTheirWriteDeadlineWhenBothExpiriesAreSet() {
    CaffeineByteStore store =
        store(new CaffeineSettings(100, 0, Duration.ofMinutes(10), Duration.ofMinutes(3)));
    io.batchwise.cache.LoadingEmbeddingCache view = Stores.embeddingCache(store, false, registry);
    io.batchwise.spi.CacheKey k = io.batchwise.spi.CacheKey.of("p/m/1/n", "k");
    view.putAll(Map.of(k, new float[] {1}));
    for (int i = 0; i < 4; i++) {
      ticker.advance(Duration.ofMinutes(2));
      assertThat(view.getAll(List.of(k))).as("read at %d minutes", 2 * (i + 1)).containsKey(k);
    }
    ticker.advance(Duration.ofMinutes(2));
    assertThat(view.getAll(List.of(k))).as("10 minutes after the write").isEmpty();
  }

  @Test
  void caffeineStatisticsAreBoundToTheRegistry() {
    CaffeineByteStore store = store(CaffeineSettings.ofEntries(10));
    store.putAll(Map.of("a", new byte[] {1}), null);
    store.getAll(List.of("a", "b"));
    assertThat(
            registry
                .find("cache.gets")
                .tag("cache", "caffeine")
                .tag("result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.find("cache.size").tag("cache", "caffeine").gauge().value()).isEqualTo(1);
  }

  @Test
  void configurationChoosesOneBoundAndNamesConflicts() {
    CaffeineCacheFactory f = new CaffeineCacheFactory();
    assertThat(Stores.caffeineSettings(TestContexts.of(f, Map.of(), registry).config()))
        .isEqualTo(new CaffeineSettings(0, 256L << 20, null, null));
    assertThat(
            Stores.caffeineSettings(
                TestContexts.of(
                        f,
                        Map.of(
                            "cache.max-bytes",
                            "64mb",
                            "cache.expire-after-write",
                            "10m",
                            "cache.expire-after-access",
                            "PT1M"),
                        registry)
                    .config()))
        .isEqualTo(
            new CaffeineSettings(0, 64L << 20, Duration.ofMinutes(10), Duration.ofMinutes(1)));
    assertThat(
            Stores.caffeineSettings(
                    TestContexts.of(f, Map.of("cache.max-entries", "5_000"), registry).config())
                .maxEntries())
        .isEqualTo(5_000);

    assertThatThrownBy(
            () ->
                Stores.caffeineSettings(
                    TestContexts.of(
                            f,
                            Map.of("cache.max-entries", "10", "cache.max-bytes", "1mb"),
                            registry)
                        .config()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.max-entries")
        .hasMessageContaining("cache.max-bytes");
    assertThatThrownBy(
            () ->
                Stores.caffeineSettings(
                    TestContexts.of(f, Map.of("cache.max-bytes", "lots"), registry).config()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'lots'");
    assertThatThrownBy(
            () ->
                Stores.caffeineSettings(
                    TestContexts.of(f, Map.of("cache.max-entries", "0"), registry).config()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cache.max-entries");
    assertThatThrownBy(
            () ->
                Stores.caffeineSettings(
                    TestContexts.of(f, Map.of("cache.expire-after-write", "0s"), registry)
                        .config()))
        .hasMessageContaining("cache.expire-after-write");
  }
}

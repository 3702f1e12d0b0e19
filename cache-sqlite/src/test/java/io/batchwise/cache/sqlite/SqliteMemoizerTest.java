package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ByteStores;
import io.batchwise.cache.Memoizer;
import io.batchwise.cache.testing.CountingSearch;
import io.batchwise.cache.testing.Hit;
import io.batchwise.cache.testing.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memoized functions and proxies over a SQLite file keep their results across restarts. */
class SqliteMemoizerTest {
  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger calls = new AtomicInteger();

  private String shout(String s) {
    calls.incrementAndGet();
    return s.toUpperCase(Locale.ROOT) + "!";
  }

  private ByteStore sqlite(Path path) {
    return ByteStores.open("sqlite", Map.of("cache.path", path.toString()), registry);
  }

  @Test
  void resultsInASqliteFileSurviveARestart() {
    Path path = dir.resolve("memo.db");
    try (ByteStore store = sqlite(path)) {
      Memoizer m = Memoizer.builder().store(store).meterRegistry(registry).build();
      assertThat(m.memoize("shout", String.class, this::shout).apply("persisted"))
          .isEqualTo("PERSISTED!");
    }
    try (ByteStore store = sqlite(path)) {
      Memoizer m = Memoizer.builder().store(store).meterRegistry(registry).build();
      assertThat(m.memoize("shout", String.class, this::shout).apply("persisted"))
          .isEqualTo("PERSISTED!");
      assertThat(m.memoize("other-name", String.class, this::shout).apply("persisted"))
          .isEqualTo("PERSISTED!");
    }
    assertThat(calls).as("once for 'shout', once for 'other-name'").hasValue(2);
  }

  @Test
  void proxiesOverOneStoreShareResultsAcrossRestarts() throws Exception {
    Path path = dir.resolve("proxy.db");
    CountingSearch first = new CountingSearch();
    try (ByteStore store =
        ByteStores.open("sqlite", Map.of("cache.path", path.toString()), registry)) {
      Memoizer.builder().store(store).build().proxy(Search.class, first).search("shared", 3);
    }
    CountingSearch second = new CountingSearch();
    try (ByteStore store =
        ByteStores.open("sqlite", Map.of("cache.path", path.toString()), registry)) {
      List<Hit> hits =
          Memoizer.builder().store(store).build().proxy(Search.class, second).search("shared", 3);
      assertThat(hits).containsExactly(new Hit("shared#3", 0.5));
    }
    assertThat(first.calls).hasValue(1);
    assertThat(second.calls).as("read from the file written before the restart").hasValue(0);
  }
}

package io.batchwise.cache.sqlite.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.testing.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link SqliteNativeLibraryTest} in a fresh JVM: opens a store, writes and reads one entry,
 * and prints where the process mapped SQLite's native library from ({@code /proc/self/maps}).
 */
public final class SqliteNativeLibraryProbe {
  private SqliteNativeLibraryProbe() {}

  /**
   * Entry point.
   *
   * @param args the database file
   * @throws Exception when anything fails (the test then sees a non-zero exit)
   */
  public static void main(String[] args) throws Exception {
    try (ByteStore store =
        SqliteStores.sqlite(
            new SqliteSettings(Path.of(args[0]), Duration.ofSeconds(20), null),
            1,
            Duration.ofSeconds(30),
            new SimpleMeterRegistry(),
            new FakeTicker(),
            System::currentTimeMillis)) {
      store.putAll(Map.of("k", new byte[] {1, 2, 3}), Duration.ofHours(1));
      System.out.println("read=" + store.getAll(List.of("k")).get("k").length);
    }
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("sqlitejdbc"))
        .map(l -> "mapped=" + l.substring(l.indexOf('/')))
        .distinct()
        .forEach(System.out::println);
  }
}

package io.batchwise.cache.sqlite.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.spi.CacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second process for {@link SqliteByteStoreTest}: writes {@code count} entries {@code prefix-i}
 * to the SQLite file {@code path} in batches of {@code batch}, then reads them back. Exit code 0
 * when every entry was written and read back; 1 (with a message on stderr) otherwise.
 */
public final class SqliteWriterMain {
  private SqliteWriterMain() {}

  public static void main(String[] args) {
    Path path = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // unguarded: a failure must fail this process, not become a silent miss
    try (ByteStore store =
        new SqliteByteStore(
            new SqliteSettings(path, Duration.ofSeconds(20), null),
            System::currentTimeMillis,
            new CacheMetrics(registry, "sqlite"))) {
      for (int start = 0; start < count; start += batch) {
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = start; i < Math.min(count, start + batch); i++) {
          entries.put(prefix + "-" + i, (prefix + " value " + i).getBytes(StandardCharsets.UTF_8));
        }
        store.putAll(entries, null);
      }
      Map<String, byte[]> all = store.getAll(keys(prefix, count));
      if (all.size() != count) {
        System.err.println("read back " + all.size() + " of " + count);
        System.exit(1);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  static List<String> keys(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(prefix + "-" + i);
    }
    return keys;
  }
}

package io.batchwise.cache.sqlite.internal;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.EmbeddingCaches;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.sqlite.SqliteCacheFactory;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.LogCapture;
import io.batchwise.cache.testing.TestContexts;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store with real files: restarts, corruption, a second process, permissions, expiry.
 */
class SqliteByteStoreTest {
  private static final int DIMS = 16;

  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LoadingEmbeddingCache cache(Path path, Map<String, String> extra) {
    SqliteCacheFactory f = new SqliteCacheFactory();
    Map<String, String> options = new HashMap<>(extra);
    options.put("cache.path", path.toString());
    return (LoadingEmbeddingCache) f.create(TestContexts.of(f, options, registry));
  }

  private static Connection jdbc(Path path) throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + path);
  }

  @Test
  void vectorsSurviveClosingAndReopeningTheFile() {
    Path path = dir.resolve("restart.db");
    Map<CacheKey, float[]> e = Vectors.entries(Vectors.NS, Vectors.texts("r", 300), DIMS);
    try (LoadingEmbeddingCache first = cache(path, Map.of())) {
      first.putAll(e);
    }
    try (LoadingEmbeddingCache second = cache(path, Map.of())) {
      Map<CacheKey, float[]> got = second.getAll(e.keySet());
      assertThat(got).hasSize(300);
      e.forEach((k, v) -> assertThat(got.get(k)).containsExactly(v));
    }
  }

  @Test
  void aCorruptValueIsAMissThatIsLoggedCountedAndRewritten() throws Exception {
    Path path = dir.resolve("corrupt.db");
    CacheKey flipped = CacheKey.of(Vectors.NS, "flipped");
    CacheKey truncated = CacheKey.of(Vectors.NS, "truncated");
    CacheKey intact = CacheKey.of(Vectors.NS, "intact");
    float[] v = Vectors.of("x", DIMS);
    try (LoadingEmbeddingCache c = cache(path, Map.of());
        LogCapture log = LogCapture.named("io.batchwise.cache.internal.CorruptValues")) {
      c.putAll(Map.of(flipped, v, truncated, v, intact, v));
      try (Connection raw = jdbc(path)) {
        byte[] bytes = value(raw, EmbeddingCaches.storeKey(flipped));
        bytes[bytes.length / 2] ^= 0x10;
        setValue(raw, EmbeddingCaches.storeKey(flipped), bytes);
        byte[] whole = value(raw, EmbeddingCaches.storeKey(truncated));
        setValue(raw, EmbeddingCaches.storeKey(truncated), Arrays.copyOf(whole, whole.length - 7));
      }

      Map<CacheKey, float[]> got = c.getAll(List.of(flipped, truncated, intact));

      assertThat(got).containsOnlyKeys(intact);
      assertThat(
              count(
                  registry,
                  MeterNames.CACHE_ERRORS,
                  MeterNames.TAG_CACHE,
                  "sqlite",
                  MeterNames.TAG_OUTCOME,
                  "corrupt"))
          .isEqualTo(2);
      assertThat(count(registry, MeterNames.CACHE_MISSES, MeterNames.TAG_CACHE, "sqlite"))
          .isEqualTo(2);
      assertThat(log.messages(Level.WARN))
          .singleElement()
          .asString()
          .contains("2 corrupt value(s)", "sqlite", "checksum mismatch");

      c.putAll(Map.of(flipped, v, truncated, v));
      Map<CacheKey, float[]> again = c.getAll(List.of(flipped, truncated));
      assertThat(again.get(flipped)).containsExactly(v);
      assertThat(again.get(truncated)).containsExactly(v);
    }
  }

  private static byte[] value(Connection raw, String key) throws Exception {
    try (PreparedStatement ps =
        raw.prepareStatement("SELECT value FROM " + SqliteByteStore.TABLE + " WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row for %s", key).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  private static void setValue(Connection raw, String key, byte[] value) throws Exception {
    try (PreparedStatement ps =
        raw.prepareStatement("UPDATE " + SqliteByteStore.TABLE + " SET value = ? WHERE key = ?")) {
      ps.setBytes(1, value);
      ps.setString(2, key);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void twoProcessesWriteTheSameFileAtOnce() throws Exception {
    Path path = dir.resolve("shared.db");
    int perProcess = 3_000;
    try (ByteStore store =
        SqliteStores.sqlite(
            new SqliteSettings(path, Duration.ofSeconds(20), null),
            3,
            Duration.ofSeconds(30),
            registry,
            new FakeTicker(),
            System::currentTimeMillis)) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its native library (JDK
                  // 24+)
                  "-cp",
                  System.getProperty("java.class.path"),
                  SqliteWriterMain.class.getName(),
                  path.toString(),
                  "child",
                  "" + perProcess,
                  "50")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("child.log").toFile())
              .start();
      for (int start = 0; start < perProcess; start += 50) {
        Map<String, byte[]> batch = new HashMap<>();
        for (int i = start; i < start + 50; i++) {
          batch.put("parent-" + i, ("parent value " + i).getBytes(StandardCharsets.UTF_8));
        }
        store.putAll(batch, null);
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();

      Map<String, byte[]> all =
          store.getAll(
              concat(
                  SqliteWriterMain.keys("parent", perProcess),
                  SqliteWriterMain.keys("child", perProcess)));
      assertThat(all).hasSize(2 * perProcess);
      assertThat(new String(all.get("child-1234"), StandardCharsets.UTF_8))
          .isEqualTo("child value 1234");
      assertThat(count(registry, MeterNames.CACHE_ERRORS, MeterNames.TAG_CACHE, "sqlite")).isZero();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void theFileAndItsJournalAreReadableByTheirOwnerOnly() throws Exception {
    Path path = dir.resolve("new-dir").resolve("private.db");
    try (LoadingEmbeddingCache c = cache(path, Map.of())) {
      c.putAll(Vectors.entries(Vectors.NS, List.of("secret text"), DIMS));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rw-------");
      for (String suffix : List.of("-wal", "-shm")) {
        Path side = Path.of(path + suffix);
        assertThat(side).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(side)))
            .as(side.toString())
            .isEqualTo("rw-------");
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void anExistingFileReadableByOthersIsReportedNotChanged() throws Exception {
    Path path = dir.resolve("shared-perms.db");
    Files.createFile(
        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try (LogCapture log = LogCapture.of(PrivateFiles.class);
        LoadingEmbeddingCache c = cache(path, Map.of())) {
      assertThat(log.messages(Level.WARN))
          .singleElement()
          .asString()
          .contains(path.toString(), "rw-r--r--", "chmod 600");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void theFileRecordsItsSchemaVersionAndANewerOneIsRefused() throws Exception {
    Path path = dir.resolve("versioned.db");
    cache(path, Map.of()).close();
    try (Connection raw = jdbc(path);
        Statement s = raw.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT version FROM batchwise_schema")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(SqliteByteStore.SCHEMA_VERSION);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("wal");
      }
      s.execute("UPDATE batchwise_schema SET version = 99");
    }
    assertThatThrownBy(() -> cache(path, Map.of()))
        .hasMessageContaining(path.toString())
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("reads version " + SqliteByteStore.SCHEMA_VERSION);
  }

  @Test
  void entriesExpireAfterTheirTtlAndArePurgedAsEvictions() {
    FakeTicker clock = new FakeTicker();
    try (ByteStore store =
        SqliteStores.sqlite(
            new SqliteSettings(
                dir.resolve("ttl.db"), Duration.ofSeconds(5), Duration.ofMinutes(10)),
            3,
            Duration.ofSeconds(30),
            registry,
            clock,
            clock::millis)) {
      store.putAll(Map.of("default-ttl", new byte[] {1}), null);
      store.putAll(Map.of("short", new byte[] {2}), Duration.ofMinutes(1));
      clock.advance(Duration.ofSeconds(61));
      assertThat(store.getAll(List.of("default-ttl", "short"))).containsOnlyKeys("default-ttl");
      clock.advance(Duration.ofMinutes(10));
      assertThat(store.getAll(List.of("default-ttl", "short"))).isEmpty();

      store.putAll(Map.of("trigger purge", new byte[] {3}), null);
      assertThat(count(registry, MeterNames.CACHE_EVICTIONS, MeterNames.TAG_CACHE, "sqlite"))
          .isEqualTo(2);
    }
  }

  @Test
  void float16HalvesTheStoredVectorsAndKeepsThemClose() throws Exception {
    Path path = dir.resolve("half.db");
    CacheKey k = CacheKey.of(Vectors.NS, "half");
    float[] v = Vectors.of("half", 384);
    try (LoadingEmbeddingCache c = cache(path, Map.of("cache.float16", "true"))) {
      c.putAll(Map.of(k, v));
      float[] got = c.getAll(List.of(k)).get(k);
      for (int i = 0; i < v.length; i++) {
        assertThat(got[i])
            .isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) / 1024 + 1e-7f));
      }
    }
    try (Connection raw = jdbc(path)) {
      // frame (1 + 4) + kind (1) + length (4) + 2 bytes per element
      assertThat(value(raw, EmbeddingCaches.storeKey(k))).hasSize(10 + 2 * 384);
    }
    try (LoadingEmbeddingCache c = cache(path, Map.of("cache.float16", "false"))) {
      assertThat(c.getAll(List.of(k))).containsKey(k); // a float32 reader reads float16 values
    }
  }

  @Test
  void aWriteWaitsForAnotherConnectionsLockWithinTheBusyTimeout() throws Exception {
    Path path = dir.resolve("busy.db");
    // a busy timeout no busy machine outlasts between the other connection's write and its commit
    try (ByteStore store =
            SqliteStores.sqlite(
                new SqliteSettings(path, Duration.ofMinutes(2), null),
                3,
                Duration.ofSeconds(30),
                registry,
                new FakeTicker(),
                System::currentTimeMillis);
        Connection other = jdbc(path)) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO " + SqliteByteStore.TABLE + "(key, value) VALUES ('other', x'00')");
      }
      CompletableFuture<Void> write =
          CompletableFuture.runAsync(() -> store.putAll(Map.of("mine", new byte[] {1}), null));
      Thread.sleep(300);
      assertThat(write).as("the write waits for the lock").isNotDone();
      other.commit();
      write.get(60, TimeUnit.SECONDS);
      assertThat(store.getAll(List.of("mine", "other"))).containsOnlyKeys("mine", "other");
      assertThat(count(registry, MeterNames.CACHE_ERRORS, MeterNames.TAG_CACHE, "sqlite")).isZero();
    }
  }

  @Test
  void aLockHeldLongerThanTheBusyTimeoutDropsTheStoreInsteadOfFailing() throws Exception {
    Path path = dir.resolve("locked.db");
    try (ByteStore store =
            SqliteStores.sqlite(
                new SqliteSettings(path, Duration.ofMillis(100), null),
                3,
                Duration.ofSeconds(30),
                registry,
                new FakeTicker(),
                System::currentTimeMillis);
        Connection other = jdbc(path)) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO " + SqliteByteStore.TABLE + "(key, value) VALUES ('other', x'00')");
      }
      store.putAll(Map.of("mine", new byte[] {1}), null);
      assertThat(
              count(
                  registry,
                  MeterNames.CACHE_ERRORS,
                  MeterNames.TAG_CACHE,
                  "sqlite",
                  MeterNames.TAG_OUTCOME,
                  "failure"))
          .isEqualTo(1);
      other.rollback();
      assertThat(store.getAll(List.of("mine"))).isEmpty();
    }
  }

  @Test
  void deleteByPrefixRemovesExactlyThatPrefixEvenForNonAsciiPrefixes() {
    try (ByteStore store =
        SqliteStores.sqlite(
            SqliteSettings.of(dir.resolve("prefix.db")),
            3,
            Duration.ofSeconds(30),
            registry,
            new FakeTicker(),
            System::currentTimeMillis)) {
      store.putAll(
          Map.of(
              "a:1",
              new byte[] {1},
              "a:2",
              new byte[] {1},
              "a;3",
              new byte[] {1},
              "é:1",
              new byte[] {1},
              "é:2",
              new byte[] {1},
              "éx",
              new byte[] {1}),
          null);
      store.deleteByPrefix("a:");
      store.deleteByPrefix("é:");
      assertThat(store.getAll(List.of("a:1", "a:2", "a;3", "é:1", "é:2", "éx")))
          .containsOnlyKeys("a;3", "éx");
    }
  }

  @Test
  void anUnusableLocationFailsAtStartNamingThePath() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("not-a-dir.txt"), "x");
    Path path = notADirectory.resolve("cache.db");
    assertThatThrownBy(() -> cache(path, Map.of())).hasMessageContaining(path.toString());
  }
}

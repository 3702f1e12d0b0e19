package io.batchwise.cache.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's native library is kept in the per-user cache and loaded from there, in a fresh JVM whose
 * cache home is a temporary directory: the first process extracts it, the second only loads it.
 */
@EnabledOnOs(
    OS.LINUX) // the kept copy is for the Linux builds the driver ships; elsewhere the driver
// extracts its own
class SqliteNativeLibraryTest {

  private static String run(Path home, Path db) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SqliteNativeLibraryProbe.class.getName(),
                db.toString())
            .redirectErrorStream(true);
    builder.environment().put("XDG_CACHE_HOME", home.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  @DisplayName("the driver maps libsqlitejdbc.so from the kept copy, extracted once")
  void theDriverLoadsTheKeptCopy(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("cache-home");
    Path kept = home.resolve("batchwise").resolve("native");
    String first = run(home, dir.resolve("a.db"));
    assertThat(first).contains("read=3");
    List<Path> copies;
    try (Stream<Path> files = Files.walk(kept)) {
      copies = files.filter(f -> f.getFileName().toString().equals("libsqlitejdbc.so")).toList();
    }
    assertThat(copies).hasSize(1);
    assertThat(first).contains("mapped=" + copies.get(0));

    var written = Files.getLastModifiedTime(copies.get(0));
    String second = run(home, dir.resolve("b.db"));
    assertThat(second).contains("read=3", "mapped=" + copies.get(0));
    assertThat(Files.getLastModifiedTime(copies.get(0)))
        .as("not extracted again")
        .isEqualTo(written);
  }
}

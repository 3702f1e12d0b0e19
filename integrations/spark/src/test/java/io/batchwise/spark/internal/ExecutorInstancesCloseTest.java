package io.batchwise.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.cache.redis.testing.EmbeddingsTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's shared Batchwise instance is closed when its JVM exits. Seen from outside the JVM
 * through a part whose close leaves a trace: a {@code sqlite} cache in WAL mode, whose last
 * connection, closed, checkpoints the write-ahead log into the database file and deletes it — a JVM
 * that ends without closing it leaves {@code cache.db-wal} behind. The control (a JVM halted, so
 * that no shutdown hook runs) shows that the trace tells the two apart; in both, a fresh instance
 * on the same file then answers every text from the cache.
 */
class ExecutorInstancesCloseTest {
  /** Bounds a broken child, not a slow one. */
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @TempDir Path dir;

  private EmbeddingsTestServer server;

  @BeforeEach
  void start() throws IOException {
    server = EmbeddingsTestServer.start(ExecutorInstancesCloseTest::vectorOf);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private static float[] vectorOf(String text) {
    float[] v = new float[8];
    for (int d = 0; d < v.length; d++) {
      v[d] = ((text.hashCode() >>> d) & 7) + d + 1f;
    }
    return v;
  }

  /** A child JVM and where it writes. */
  private record Child(Process process, Path cache, Path log) {}

  private Child startChild(String ending) throws IOException {
    Path cache = dir.resolve(ending + ".db");
    Path log = dir.resolve(ending + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ExecutorInstancesExitMain.class.getName(),
                server.baseUrl(),
                cache.toString(),
                ending));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPENAI_API_KEY", "sk-child-test");
    return new Child(pb.start(), cache, log);
  }

  private static Path awaitChild(Child child) throws Exception {
    try {
      assertThat(child.process().waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("child ended; its log: %s", read(child.log()))
          .isTrue();
    } finally {
      child.process().destroyForcibly();
    }
    assertThat(child.process().exitValue())
        .as("child's exit code; its log: %s", read(child.log()))
        .isZero();
    assertThat(read(child.log())).contains("embedded " + ExecutorInstancesExitMain.TEXTS.size());
    return child.cache();
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)";
  }

  private void assertCacheHoldsTheTexts(Path cache) {
    server.reset();
    try (Batchwise bw =
        Batchwise.builder()
            .provider("openai")
            .option("openai.base-url", server.baseUrl())
            .option("openai.api-key", "sk-parent-test")
            .option("openai.model", "text-embedding-3-small")
            .option("openai.dimensions", "8")
            .option("openai.encoding-format", "float")
            .option("cache", "sqlite")
            .option("cache.path", cache.toString())
            .build()) {
      EmbedResult again = bw.embedder().embedAll(ExecutorInstancesExitMain.TEXTS);
      assertThat(again.allSucceeded()).isTrue();
      assertThat(server.arrivals())
          .as("provider calls of the rerun: every text from the child's cache")
          .isEmpty();
      for (int i = 0; i < ExecutorInstancesExitMain.TEXTS.size(); i++) {
        assertThat(again.vectors().get(i))
            .isEqualTo(vectorOf(ExecutorInstancesExitMain.TEXTS.get(i)));
      }
    }
  }

  @Test
  @DisplayName(
      "a JVM that exits closes its shared instance (the SQLite cache's write-ahead log is checkpointed"
          + " and removed); a JVM halted before its shutdown hooks leaves the log behind")
  void closedWhenTheJvmExits() throws Exception {
    // both children at once: each is a JVM start, and the test waits for the slower one only
    Child exiting = startChild("exit");
    Child halted = startChild("halt");
    Path closedCache;
    Path haltedCache;
    try {
      closedCache = awaitChild(exiting);
      haltedCache = awaitChild(halted);
    } finally {
      halted.process().destroyForcibly();
    }
    assertThat(server.arrivals()).as("the children's provider calls").isNotEmpty();
    assertThat(Path.of(closedCache + "-wal"))
        .as("the write-ahead log of a closed cache")
        .doesNotExist();
    assertThat(Path.of(haltedCache + "-wal"))
        .as("control: the write-ahead log of a cache never closed")
        .exists();
    assertCacheHoldsTheTexts(closedCache);
    assertCacheHoldsTheTexts(haltedCache);
  }
}

package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long {@code embedAll} with a persistent cache keeps what each call answered: a process killed
 * after three calls completed leaves their vectors in the SQLite file, and a rerun sends only the
 * rest.
 */
class ResumableEmbedTest {
  /**
   * Generous: the child only starts a JVM and embeds ten texts; this bounds a broken run, not a
   * slow one.
   */
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @TempDir Path dir;

  @Test
  @DisplayName(
      "a process killed after three calls keeps their vectors; the rerun sends only the rest")
  void aKilledRunKeepsWhatItWasAnswered() throws Exception {
    Path cache = dir.resolve("cache.db");
    Path marker = dir.resolve("calls.txt");
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its native library (JDK
                // 24+)
                "-cp",
                System.getProperty("java.class.path"),
                ResumableEmbedMain.class.getName(),
                cache.toString(),
                marker.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      // with one call at a time, call 4 starts only once call 3 has completed, its vectors stored
      int nextCall = ResumableEmbedMain.ANSWERED_CALLS + 1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
      while (!started(marker, nextCall)) {
        assertThat(child.isAlive()).as("child alive; its log: %s", read(log)).isTrue();
        assertThat(System.nanoTime())
            .as("call %d started in time; child log: %s", nextCall, read(log))
            .isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    List<String> texts = ResumableEmbedMain.texts();
    List<String> answered = new ArrayList<>();
    for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
      String[] parts = line.split("\t");
      if (Integer.parseInt(parts[0].substring("started ".length()))
          <= ResumableEmbedMain.ANSWERED_CALLS) {
        answered.addAll(List.of(parts).subList(1, parts.length));
      }
    }
    assertThat(answered).hasSize(ResumableEmbedMain.ANSWERED_CALLS * ResumableEmbedMain.PER_CALL);
    ResumableEmbedMain.SlowProvider rerun =
        new ResumableEmbedMain.SlowProvider(null, Integer.MAX_VALUE);
    try (Batchwise bw = ResumableEmbedMain.open(rerun, cache)) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertThat(result.allSucceeded()).isTrue();
      assertThat(result.usage().cacheHits()).isGreaterThanOrEqualTo(answered.size());
      assertThat(rerun.sent)
          .as("only what was not answered before the kill is sent")
          .hasSize(texts.size() - (int) result.usage().cacheHits())
          .doesNotContainAnyElementsOf(answered);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(result.embeddings().get(i).vector())
            .containsExactly(FakeEmbeddingProvider.vectorOf(texts.get(i), 8));
      }
    }
  }

  private static boolean started(Path marker, int call) throws java.io.IOException {
    return Files.exists(marker)
        && Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
            .anyMatch(l -> l.startsWith("started " + call + "\t"));
  }

  private static String read(Path log) throws java.io.IOException {
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }
}

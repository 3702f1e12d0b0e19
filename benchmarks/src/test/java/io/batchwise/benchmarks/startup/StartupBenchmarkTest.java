package io.batchwise.benchmarks.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.benchmarks.harness.FullModeOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the start-up section runs, without running the processes (the section itself is full mode
 * only).
 */
class StartupBenchmarkTest {

  @Test
  void theLauncherIsTheCheckoutsAndTheCorpusGives311DistinctChunksOfAtMost38Words()
      throws IOException {
    Path launcher = StartupBenchmark.launcher();
    assertThat(launcher.getFileName().toString()).isEqualTo("batchwise");
    List<String> chunks =
        StartupBenchmark.chunks(launcher.getParent().resolve("examples/src/main/resources/corpus"));
    assertThat(chunks).hasSize(StartupBenchmark.CHUNKS);
    assertThat(new HashSet<>(chunks))
        .as("distinct: the cache answers each once")
        .hasSize(StartupBenchmark.CHUNKS);
    assertThat(chunks)
        .allSatisfy(
            c -> assertThat(c.split(" ")).hasSizeBetween(1, StartupBenchmark.WORDS_PER_CHUNK));
    assertThat(StartupBenchmark.class.isAnnotationPresent(FullModeOnly.class)).isTrue();
  }

  @Test
  void aCorpusTooSmallIsRefusedNamingTheCount(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.txt"), "only a few words");
    assertThatThrownBy(() -> StartupBenchmark.chunks(dir))
        .hasMessageContaining("gives 1 chunks")
        .hasMessageContaining("needs 311");
  }

  @Test
  void reportFieldsAreRead() {
    String json = "{\"inputs\": 311, \"cacheHits\":311,\n \"providerCalls\" : 0}";
    assertThat(StartupBenchmark.field(json, "cacheHits")).isEqualTo(311);
    assertThat(StartupBenchmark.field(json, "providerCalls")).isZero();
    assertThat(StartupBenchmark.field(json, "retries")).isEqualTo(-1);
  }
}

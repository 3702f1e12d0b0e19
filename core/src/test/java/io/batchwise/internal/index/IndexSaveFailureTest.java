package io.batchwise.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.index.VectorIndex;
import io.batchwise.testing.Await;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorIndex#save} leaves no temporary file, and the previous file as it was, when the
 * write fails midway, when the saving thread is interrupted, and when the process is stopped
 * midway.
 */
class IndexSaveFailureTest {
  @TempDir Path dir;

  private Path previous() throws IOException {
    Path file = dir.resolve("index.bwi");
    VectorIndex old = VectorIndex.create(2);
    old.add("old", new float[] {0, 1});
    old.save(file);
    return file;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /** No temporary file is left, and the index file holds the bytes it held before. */
  private void assertOnly(Path file, byte[] before, Path... others) throws IOException {
    List<Path> expected = new ArrayList<>(List.of(file));
    expected.addAll(List.of(others));
    assertThat(files()).containsExactlyElementsOf(expected);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  private static FlatVectorIndex indexWhoseSave(BlockingMetadata.Action midway) {
    return FlatVectorIndex.restore(
        2, new float[] {1, 0}, List.of("a"), List.of(new BlockingMetadata(midway)), null);
  }

  @Test
  @DisplayName(
      "a write that fails midway: the exception propagates, no temporary file, the old file stays")
  void failedWrite() throws IOException {
    Path file = previous();
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(
            () ->
                indexWhoseSave(
                        () -> {
                          throw new IllegalStateException("broken midway");
                        })
                    .save(file))
        .hasMessage("broken midway");
    assertOnly(file, before);
  }

  @Test
  @DisplayName(
      "an interrupted save fails with an IOException, leaves no temporary file and keeps the interrupt")
  void interrupted() throws IOException {
    Path file = previous();
    byte[] before = Files.readAllBytes(file);
    try {
      assertThatThrownBy(() -> indexWhoseSave(() -> Thread.currentThread().interrupt()).save(file))
          .isInstanceOf(IOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertOnly(file, before);
  }

  @Test
  @DisplayName(
      "a process stopped midway through a save (SIGTERM, as Ctrl-C) leaves no temporary file")
  void stoppedProcess() throws Exception {
    Path file = previous();
    byte[] before = Files.readAllBytes(file);
    Path marker = dir.resolve("midway");
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                java,
                "-Xshare:off",
                "-cp",
                System.getProperty("java.class.path"),
                SaveStopProbe.class.getName(),
                file.toString(),
                marker.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("probe.log").toFile())
            .start();
    try {
      Await.until(
          "the save is midway", Duration.ofSeconds(60), () -> Files.exists(marker) || !p.isAlive());
      assertThat(p.isAlive())
          .as("the probe is blocked midway: %s", Files.readString(dir.resolve("probe.log")))
          .isTrue();
      assertThat(files())
          .as("the temporary file exists while the save runs")
          .anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
      p.destroy(); // SIGTERM: shutdown hooks run
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertOnly(file, before, marker, dir.resolve("probe.log"));
  }
}

package io.batchwise.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFile}: the target changes only on commit, and nothing else ever leaves a temporary
 * file.
 */
class AtomicFileTest {
  @TempDir Path dir;

  /**
   * Shutdown hooks held here instead of by the JVM, so a test can run them as a process stop would.
   */
  static final class RecordingHooks implements AtomicFile.Hooks {
    final List<Thread> registered = new ArrayList<>();
    boolean stopping;

    @Override
    public void add(Thread hook) {
      if (stopping) {
        throw new IllegalStateException("Shutdown in progress");
      }
      registered.add(hook);
    }

    @Override
    public void remove(Thread hook) {
      registered.remove(hook);
    }

    /** What the JVM does on SIGTERM: runs every registered hook. */
    void stop() {
      stopping = true;
      List.copyOf(registered).forEach(Thread::run);
    }
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private Path previous() throws IOException {
    return Files.writeString(dir.resolve("out.bin"), "previous contents");
  }

  /** No temporary file is left, and the target holds what it held before. */
  private void assertOnlyThePreviousFile(Path target) throws IOException {
    assertThat(files()).containsExactly(target);
    assertThat(Files.readString(target)).isEqualTo("previous contents");
  }

  @Test
  @DisplayName("commit moves the complete file into place and removes the shutdown hook")
  void commit() throws IOException {
    Path target = previous();
    RecordingHooks hooks = new RecordingHooks();
    try (AtomicFile file = AtomicFile.create(target, hooks)) {
      file.stream().write("new contents".getBytes(StandardCharsets.UTF_8));
      assertThat(files()).hasSize(2);
      assertThat(hooks.registered).hasSize(1);
      file.commit();
    }
    assertThat(Files.readString(target)).isEqualTo("new contents");
    assertThat(files()).containsExactly(target);
    assertThat(hooks.registered).isEmpty();
  }

  @Test
  @DisplayName(
      "a write that fails midway (closed without commit) deletes the temporary file; the old file stays")
  void failedWrite() throws IOException {
    Path target = previous();
    RecordingHooks hooks = new RecordingHooks();
    assertThatThrownBy(
            () -> {
              try (AtomicFile file = AtomicFile.create(target, hooks)) {
                file.stream().write("half of it".getBytes(StandardCharsets.UTF_8));
                throw new IOException("disk full");
              }
            })
        .hasMessage("disk full");
    assertOnlyThePreviousFile(target);
    assertThat(hooks.registered).isEmpty();
  }

  @Test
  @DisplayName(
      "a process stop midway deletes the temporary file, and the move is refused afterwards")
  void stopMidway() throws IOException {
    Path target = previous();
    RecordingHooks hooks = new RecordingHooks();
    try (AtomicFile file = AtomicFile.create(target, hooks)) {
      file.stream().write("half of it".getBytes(StandardCharsets.UTF_8));
      hooks.stop();
      assertThat(files()).containsExactly(target);
      assertThatThrownBy(file::commit)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("stopping");
    }
    assertOnlyThePreviousFile(target);
  }

  @Test
  @DisplayName("a file is not started once the process is stopping")
  void noStartWhileStopping() throws IOException {
    Path target = previous();
    RecordingHooks hooks = new RecordingHooks();
    hooks.stopping = true;
    assertThatThrownBy(() -> AtomicFile.create(target, hooks))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("stopping");
    assertOnlyThePreviousFile(target);
  }

  @Test
  @DisplayName("a missing directory fails on create, leaving no hook behind")
  void missingDirectory() {
    RecordingHooks hooks = new RecordingHooks();
    assertThatThrownBy(() -> AtomicFile.create(dir.resolve("missing/out.bin"), hooks))
        .isInstanceOf(IOException.class);
    assertThat(hooks.registered).isEmpty();
  }

  @Test
  @DisplayName(
      "the committed file has the permissions of any new file (the umask), not owner-only ones")
  void umaskPermissions() throws IOException {
    Path target = dir.resolve("out.bin");
    try (AtomicFile file = AtomicFile.create(target, new RecordingHooks())) {
      file.stream().write(1);
      file.commit();
    }
    Path plain = Files.createFile(dir.resolve("plain.bin"));
    assertThat(Files.getPosixFilePermissions(target))
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }
}

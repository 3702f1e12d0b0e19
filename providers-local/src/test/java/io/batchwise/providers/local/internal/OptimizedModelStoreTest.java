package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.Pooling;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's optimized graph saved on a model's first load ({@code local.optimized-model-dir}):
 * later providers load it, a garbage file is replaced, and each model and runtime has its own file.
 */
class OptimizedModelStoreTest {
  private static final List<String> TEXTS = LocalTestSupport.fixtures().subList(0, 12);
  private static final double TOLERANCE = 1e-5;

  private static LocalEmbeddingProvider provider(String optimizedDir) {
    return LocalTestSupport.create(Map.of(LocalOptions.OPTIMIZED_MODEL_DIR.key(), optimizedDir));
  }

  private static List<float[]> embed(LocalEmbeddingProvider provider) {
    return provider.embed(TEXTS, CallContext.of(InputType.DOCUMENT)).join();
  }

  private static List<float[]> reference;

  /** The vectors of a provider that optimizes the graph in memory and saves nothing; made once. */
  private static synchronized List<float[]> reference() {
    if (reference == null) {
      try (LocalEmbeddingProvider plain = provider("")) {
        reference = embed(plain);
        assertThat(plain.model().loadedFromOptimized())
            .as("switched off: loads the model's own file")
            .isEmpty();
      }
    }
    return reference;
  }

  private static void assertClose(List<float[]> actual, List<float[]> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("text %d", i).hasSameSizeAs(expected.get(i));
      for (int d = 0; d < expected.get(i).length; d++) {
        assertThat((double) actual.get(i)[d])
            .as("text %d, dimension %d", i, d)
            .isCloseTo(expected.get(i)[d], org.assertj.core.data.Offset.offset(TOLERANCE));
      }
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  @DisplayName(
      "the first load saves the optimized graph owner-only; a later provider loads it, with the same vectors")
  void theFirstLoadSavesTheGraphAndLaterLoadsUseIt(@TempDir Path work) throws IOException {
    List<float[]> expected = reference();
    Path dir = work.resolve("cache").resolve("onnx");

    Path saved;
    try (LocalEmbeddingProvider first = provider(dir.toString())) {
      assertClose(embed(first), expected);
      assertThat(first.model().loadedFromOptimized()).as("nothing saved yet").isEmpty();
      assertThat(files(dir)).as("one complete file, no temporary one left").hasSize(1);
      saved = files(dir).get(0);
      assertThat(saved.getFileName().toString()).startsWith("all-minilm-l6-v2-").endsWith(".onnx");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
    }

    try (LocalEmbeddingProvider later = provider(dir.toString())) {
      assertClose(embed(later), expected);
      assertThat(later.model().loadedFromOptimized())
          .as("loaded from the saved graph")
          .contains(saved);
    }
    assertThat(files(dir)).containsExactly(saved);
  }

  @Test
  @DisplayName(
      "garbage in the saved file: the model loads from its own file, embeds correctly, and the file is rewritten")
  void aCorruptSavedGraphFallsBackAndIsRewritten(@TempDir Path work) throws IOException {
    List<float[]> expected = reference();
    Path dir = work.resolve("onnx");
    try (LocalEmbeddingProvider first = provider(dir.toString())) {
      embed(first);
    }
    Path saved = files(dir).get(0);
    byte[] garbage = new byte[64 * 1024];
    new Random(19).nextBytes(garbage);
    Files.write(saved, garbage);

    try (LocalEmbeddingProvider recovering = provider(dir.toString())) {
      assertClose(embed(recovering), expected);
      assertThat(recovering.model().loadedFromOptimized())
          .as("the garbage was not loaded")
          .isEmpty();
    }
    assertThat(files(dir)).containsExactly(saved);
    assertThat(Files.size(saved)).as("rewritten with the graph").isGreaterThan(garbage.length);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");

    try (LocalEmbeddingProvider later = provider(dir.toString())) {
      assertClose(embed(later), expected);
      assertThat(later.model().loadedFromOptimized())
          .as("the rewritten graph loads")
          .contains(saved);
    }
  }

  @Test
  @DisplayName(
      "a file others can write is not loaded: the model loads from its own file and the file is replaced")
  void aFileOthersCanWriteIsNotLoaded(@TempDir Path work) throws IOException {
    Path dir = work.resolve("onnx");
    try (LocalEmbeddingProvider first = provider(dir.toString())) {
      embed(first);
    }
    Path saved = files(dir).get(0);
    Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(new OptimizedModelStore(dir).loadable(saved)).isFalse();

    try (LocalEmbeddingProvider next = provider(dir.toString())) {
      embed(next);
      assertThat(next.model().loadedFromOptimized()).isEmpty();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");
    assertThat(new OptimizedModelStore(dir).loadable(saved)).isTrue();
  }

  @Test
  @DisplayName(
      "the file is named by the model's bytes, the runtime version and the level: another model or runtime, another file")
  void eachModelAndRuntimeHasItsOwnFile(@TempDir Path work) throws IOException {
    OptimizedModelStore store = new OptimizedModelStore(work.resolve("onnx"));
    ModelSpec named = ModelCatalog.resolve("local.model", ModelCatalog.DEFAULT_MODEL);
    Path namedFile = store.file(named, "1.29.0").orElseThrow();
    assertThat(store.file(named, "1.29.0")).as("stable").contains(namedFile);
    assertThat(store.file(named, "1.30.0").orElseThrow())
        .as("another runtime")
        .isNotEqualTo(namedFile);

    // one model whose graph changes in place by one byte: same id, same path, another file
    byte[] graph = new byte[8192];
    new Random(3).nextBytes(graph);
    Path dir = Files.createDirectories(work.resolve("model"));
    Path onnx = Files.write(dir.resolve("model.onnx"), graph);
    Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}", StandardCharsets.UTF_8);
    ModelSpec spec =
        new ModelSpec(
            "same-id",
            ModelFile.file(onnx),
            ModelFile.file(tokenizer),
            Pooling.MEAN,
            true,
            128,
            512,
            384,
            Integer.MAX_VALUE,
            null);
    Path before = store.file(spec, "1.29.0").orElseThrow();
    graph[graph.length - 1] ^= 1;
    Files.write(onnx, graph);
    Files.setLastModifiedTime(
        onnx, FileTime.fromMillis(Files.getLastModifiedTime(onnx).toMillis() + 10_000));
    Path after = store.file(spec, "1.29.0").orElseThrow();
    assertThat(after).isNotEqualTo(before).isNotEqualTo(namedFile);
    assertThat(after.getParent()).isEqualTo(store.dir());
    assertThat(after.getFileName().toString()).startsWith("same-id-");
  }
}

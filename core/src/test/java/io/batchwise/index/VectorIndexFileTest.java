package io.batchwise.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorIndexFileTest {
  @TempDir Path dir;

  private VectorIndex sample(int n, int dims) {
    Random random = new Random(n);
    VectorIndex index = VectorIndex.create(dims);
    for (int i = 0; i < n; i++) {
      index.add("doc-" + i + "-é", VectorIndexTest.randomVector(random, dims),
          i % 2 == 0 ? Map.of("path", "/corpus/" + i + ".txt", "text", "ünïcödé " + i) : Map.of());
    }
    index.putProperty(VectorIndex.PROPERTY_MODEL, "some-model");
    return index;
  }

  @Test
  @DisplayName("save then load gives back every id, vector, metadata and property, and the same search results")
  void roundTrip() throws IOException {
    VectorIndex index = sample(300, 48);
    index.remove("doc-7-é");
    Path file = dir.resolve("a.bwi");
    index.save(file);
    VectorIndex loaded = VectorIndex.load(file);
    assertThat(loaded.dimensions()).isEqualTo(48);
    assertThat(loaded.ids()).containsExactlyElementsOf(index.ids());
    assertThat(loaded.properties()).isEqualTo(index.properties());
    for (String id : index.ids()) {
      assertThat(loaded.metadata(id)).isEqualTo(index.metadata(id));
      assertThat(loaded.vector(id).orElseThrow()).containsExactly(index.vector(id).orElseThrow());
    }
    float[] query = VectorIndexTest.randomVector(new Random(9), 48);
    assertThat(loaded.search(query, 10)).isEqualTo(index.search(query, 10));
    // loaded indexes accept more entries
    loaded.add("more", query);
    assertThat(loaded.search(query, 1).get(0).id()).isEqualTo("more");
  }

  @Test
  @DisplayName("an empty index round-trips")
  void emptyRoundTrip() throws IOException {
    Path file = dir.resolve("empty.bwi");
    VectorIndex.create(7).save(file);
    VectorIndex loaded = VectorIndex.load(file);
    assertThat(loaded.size()).isZero();
    assertThat(loaded.dimensions()).isEqualTo(7);
  }

  @Test
  @DisplayName("saving replaces an existing file and leaves no temporary file behind")
  void saveReplaces() throws IOException {
    Path file = dir.resolve("b.bwi");
    sample(10, 8).save(file);
    sample(3, 8).save(file);
    assertThat(VectorIndex.load(file).size()).isEqualTo(3);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  @DisplayName("saving into a missing directory fails with an IOException and writes nothing")
  void saveFails() {
    Path file = dir.resolve("no/such/dir/c.bwi");
    assertThatThrownBy(() -> sample(3, 8).save(file)).isInstanceOf(IOException.class);
    assertThat(file).doesNotExist();
  }

  @Test
  @DisplayName("a flipped byte anywhere is caught by the checksum")
  void corruptByteDetected() throws IOException {
    Path file = dir.resolve("d.bwi");
    sample(50, 16).save(file);
    byte[] good = Files.readAllBytes(file);
    for (int pos : new int[] {24, good.length / 2, good.length - 5, good.length - 1}) {
      byte[] bad = good.clone();
      bad[pos] ^= 0x10;
      Files.write(file, bad);
      assertThatThrownBy(() -> VectorIndex.load(file))
          .isInstanceOf(IndexFormatException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("checksum mismatch");
    }
  }

  @Test
  @DisplayName("a truncated file is reported as corrupt or cut short")
  void truncated() throws IOException {
    Path file = dir.resolve("e.bwi");
    sample(50, 16).save(file);
    byte[] good = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("cut short");
    Files.write(file, java.util.Arrays.copyOf(good, 14));
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  @DisplayName("a file that is not an index is named as such")
  void badMagic() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "these are not the vectors you are looking for");
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("not a Batchwise index file");
    Files.write(file, new byte[0]);
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("not a Batchwise index file");
  }

  @Test
  @DisplayName("a newer format version is refused with an upgrade hint")
  void newerVersion() throws IOException {
    Path file = dir.resolve("f.bwi");
    sample(5, 8).save(file);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).putInt(8, 2);
    Files.write(file, bytes);
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("version 2").hasMessageContaining("upgrade");
  }

  @Test
  @DisplayName("a missing file is an IOException naming it")
  void missing() {
    Path file = dir.resolve("missing.bwi");
    assertThatThrownBy(() -> VectorIndex.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("missing.bwi");
  }
}

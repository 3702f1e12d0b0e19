package io.batchwise.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.testing.RawIndexFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
      index.add(
          "doc-" + i + "-é",
          VectorIndexTest.randomVector(random, dims),
          i % 2 == 0 ? Map.of("path", "/corpus/" + i + ".txt", "text", "ünïcödé " + i) : Map.of());
    }
    index.recordIdentity(
        new IndexIdentity(
            "some-provider",
            "some-model",
            dims,
            new TreeMap<>(
                Map.of(
                    IndexIdentity.NORMALIZED,
                    "false",
                    IndexIdentity.POOLING,
                    "cls",
                    IndexIdentity.QUERY_PREFIX,
                    "query: ü",
                    IndexIdentity.DOCUMENT_PREFIX,
                    ""))));
    return index;
  }

  @Test
  @DisplayName(
      "save then load gives back every id, vector, metadata and the identity, and the same search results")
  void roundTrip() throws IOException {
    VectorIndex index = sample(300, 48);
    index.remove("doc-7-é");
    Path file = dir.resolve("a.bwi");
    index.save(file);
    VectorIndex loaded = VectorIndex.load(file);
    assertThat(loaded.dimensions()).isEqualTo(48);
    assertThat(loaded.ids()).containsExactlyElementsOf(index.ids());
    assertThat(loaded.identity()).isEqualTo(index.identity()).isPresent();
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
    Files.write(file, Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("cut short");
    Files.write(file, Arrays.copyOf(good, 14));
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  @DisplayName("a file that is not an index is named as such")
  void badMagic() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "these are not the vectors you are looking for");
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("not a Batchwise index file");
    Files.write(file, new byte[0]);
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
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
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("upgrade");
  }

  @Test
  @DisplayName("a missing file is an IOException naming it")
  void missing() {
    Path file = dir.resolve("missing.bwi");
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing.bwi");
  }

  private static final List<float[]> ONE_VECTOR = List.of(new float[] {1, 0, 0, 0});

  private Path raw(Map<String, String> properties) throws IOException {
    Path file = dir.resolve("raw.bwi");
    RawIndexFile.write(file, 4, properties, List.of("a"), List.of(Map.of()), ONE_VECTOR);
    return file;
  }

  @Test
  @DisplayName("a saved file holds the identity and nothing else")
  void savedPropertiesAreTheIdentity() throws IOException {
    Path file = dir.resolve("g.bwi");
    sample(3, 8).save(file);
    assertThat(RawIndexFile.properties(file))
        .containsOnlyKeys(
            "embedder.provider",
            "embedder.model",
            "embedder.dimensions",
            "embedder.normalized",
            "embedder.pooling",
            "embedder.query-prefix",
            "embedder.document-prefix")
        .containsEntry("embedder.dimensions", "8");
    VectorIndex.create(8).save(file);
    assertThat(RawIndexFile.properties(file)).isEmpty();
  }

  @Test
  @DisplayName(
      "properties outside the identity (option.*, anything) are ignored with one warning naming keys, never values")
  void otherPropertiesIgnoredWithOneWarning() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("embedder.provider", "openai");
    props.put("embedder.model", "text-embedding-3-small");
    props.put("option.openai.base-url", "http://user:hunter2@127.0.0.1:9/v1");
    props.put("option.openai.allow-insecure-http", "true");
    props.put("option.local.model-dir", "/home/someone/models");
    props.put("https://admin:hunter2@evil.example/x", "y");
    props.put("bell\u0007key", "z");
    props.put("k6", "v");
    props.put("k7", "v");
    Path file = raw(props);
    List<String> warnings = new ArrayList<>();
    VectorIndex index = VectorIndex.load(file, warnings::add);
    assertThat(index.identity())
        .hasValue(new IndexIdentity("openai", "text-embedding-3-small", 4, new TreeMap<>()));
    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith(
            file
                + ": ignored 7 properties that are not part of the vectors' identity (option.openai.base-url, ")
        .contains("https://****@evil.example/x", "bell?key", "and 2 more", "never configures")
        .doesNotContain("hunter2", "127.0.0.1", "/home/someone", "\u0007");
    // a file whose properties are all identity loads without a warning; saving drops the rest for
    // good
    index.save(file);
    warnings.clear();
    assertThat(VectorIndex.load(file, warnings::add).identity()).isEqualTo(index.identity());
    assertThat(warnings).isEmpty();
  }

  @Test
  @DisplayName(
      "a file of an older version (provider and model only) loads; its identity knows no attributes")
  void olderIdentity() throws IOException {
    Path file = raw(Map.of("embedder.provider", "hash", "embedder.model", "hash-4"));
    List<String> warnings = new ArrayList<>();
    VectorIndex index = VectorIndex.load(file, warnings::add);
    assertThat(warnings).isEmpty();
    assertThat(index.identity().orElseThrow().attributes()).isEmpty();
    assertThat(index.search("hello", 1, new CountingHashEmbedder("hash-4", 4))).hasSize(1);
    assertThatThrownBy(() -> index.search("hello", 1, new CountingHashEmbedder("hash-5", 4)))
        .hasMessageContaining("cannot be compared");
    // a provider without a model identifies nothing: ignored like any other key
    file = raw(Map.of("embedder.provider", "hash"));
    assertThat(VectorIndex.load(file, warnings::add).identity()).isEmpty();
    assertThat(warnings).singleElement().asString().contains("ignored 1 property that is not");
  }

  @Test
  @DisplayName(
      "an empty pooling or max sequence length (earlier versions' \"the model's own\") reads as unknown; an empty prefix is none")
  void emptyDefaultsOfEarlierFilesAreUnknown() throws IOException {
    Path file =
        raw(
            Map.of(
                "embedder.provider",
                "local",
                "embedder.model",
                "m",
                "embedder.normalized",
                "true",
                "embedder.pooling",
                "",
                "embedder.max-sequence-length",
                "",
                "embedder.query-prefix",
                "",
                "embedder.document-prefix",
                ""));
    IndexIdentity read = VectorIndex.load(file).identity().orElseThrow();
    assertThat(read.attributes())
        .containsOnlyKeys(
            IndexIdentity.NORMALIZED, IndexIdentity.QUERY_PREFIX, IndexIdentity.DOCUMENT_PREFIX);
    // so the embedder the file was built with, which names its pooling and length, still matches it
    IndexIdentity named =
        IndexIdentity.of(
            new io.batchwise.spi.VectorIdentity(
                "local",
                "m",
                4,
                true,
                new TreeMap<>(
                    Map.of(
                        IndexIdentity.POOLING,
                        "mean",
                        IndexIdentity.MAX_SEQUENCE_LENGTH,
                        "256",
                        IndexIdentity.QUERY_PREFIX,
                        "",
                        IndexIdentity.DOCUMENT_PREFIX,
                        ""))));
    assertThat(read.matches(named)).isTrue();
    assertThat(
            read.matches(
                IndexIdentity.of(
                    new io.batchwise.spi.VectorIdentity(
                        "local",
                        "m",
                        4,
                        true,
                        new TreeMap<>(Map.of(IndexIdentity.DOCUMENT_PREFIX, "passage:"))))))
        .isFalse();
  }

  @Test
  @DisplayName(
      "an identity that is out of range or disagrees with the header makes the file corrupt")
  void invalidIdentity() throws IOException {
    Path file = raw(Map.of("embedder.provider", "hash", "embedder.model", "m\u001b[31m"));
    assertThatThrownBy(() -> VectorIndex.load(file))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("invalid index contents: identity: model has a control character");
    Path other =
        raw(Map.of("embedder.provider", "hash", "embedder.model", "m", "embedder.dimensions", "5"));
    assertThatThrownBy(() -> VectorIndex.load(other))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageContaining("dimensions '5' are not the index's 4");
  }

  @Test
  @DisplayName(
      "recording an identity: other dimensions or a mismatch are refused, a match adds what it knows")
  void recordIdentity() {
    VectorIndex index = VectorIndex.create(4);
    assertThatThrownBy(() -> index.recordIdentity(new IndexIdentity("p", "m", 5, new TreeMap<>())))
        .hasMessageContaining("5 dims")
        .hasMessageContaining("4 dimensions");
    index.recordIdentity(
        new IndexIdentity("p", "m", 4, new TreeMap<>(Map.of(IndexIdentity.NORMALIZED, "true"))));
    index.recordIdentity(
        new IndexIdentity("p", "m", 4, new TreeMap<>(Map.of(IndexIdentity.POOLING, "cls"))));
    assertThat(index.identity().orElseThrow().attributes())
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of(IndexIdentity.NORMALIZED, "true", IndexIdentity.POOLING, "cls")));
    assertThatThrownBy(
            () ->
                index.recordIdentity(
                    new IndexIdentity(
                        "p", "m", 4, new TreeMap<>(Map.of(IndexIdentity.POOLING, "mean")))))
        .hasMessageContaining("cannot be compared");
  }
}

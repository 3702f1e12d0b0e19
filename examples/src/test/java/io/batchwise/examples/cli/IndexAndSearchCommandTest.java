package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.index.IndexIdentity;
import io.batchwise.index.VectorIndex;
import io.batchwise.testing.RawIndexFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batchwise index} and {@code batchwise search} with the hashing provider and the local
 * model.
 */
class IndexAndSearchCommandTest {
  @TempDir Path dir;

  private Path corpus() throws IOException {
    return SampleCorpus.writeTo(Files.createDirectories(dir.resolve("corpus")));
  }

  @Test
  @DisplayName(
      "index a folder by token chunks, then search it with the index's identity as the defaults")
  void indexThenSearch() throws IOException {
    Path index = dir.resolve("corpus.bwi");
    CliRunner.Result r =
        run(
            "index",
            "--in",
            corpus().toString(),
            "--out",
            index.toString(),
            "--provider",
            "hashing",
            "--dimensions",
            "512",
            "--chunk-tokens",
            "30",
            "--overlap",
            "10",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("indexed \\d+ chunks of 18 documents into " + index);
    VectorIndex loaded = VectorIndex.load(index);
    assertThat(loaded.dimensions()).isEqualTo(512);
    assertThat(loaded.size()).isGreaterThan(270); // 30-word chunks are shorter than any paragraph
    assertThat(loaded.identity())
        .hasValue(
            new IndexIdentity(
                "hashing",
                "hashing-v1",
                512,
                new TreeMap<>(Map.of(IndexIdentity.NORMALIZED, "true"))));
    assertThat(loaded.ids()).contains("cooking.txt#1", "weather.txt#2");
    assertThat(loaded.metadata("cooking.txt#1").orElseThrow())
        .containsEntry("source", "cooking.txt")
        .containsEntry("chunk", "1")
        .containsKey("text");

    // no --provider, no --dimensions: both come from the index
    r = run("search", "--index", index.toString(), "--k", "2", "sourdough", "starter", "feeding");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).matches(" 1\\. 0\\.\\d{4}  cooking\\.txt#1");
    assertThat(lines.get(1)).startsWith("    A sourdough starter");
    assertThat(lines.get(2)).startsWith(" 2. ");
  }

  @Test
  @DisplayName(
      "the local model: an index records pooling, length and both prefixes, not the applied one, and"
          + " is searched with queries; another document prefix is refused; an index of an earlier version still answers")
  void localModelPrefixes() throws IOException {
    Path doc =
        Files.writeString(
            dir.resolve("doc.txt"), "A sourdough starter is fed with flour and water every day.");
    Path index = dir.resolve("local.bwi");
    CliRunner.Result r =
        run(
            "index",
            "--in",
            doc.toString(),
            "--out",
            index.toString(),
            "--provider",
            "local",
            "-o",
            "local.document-prefix=passage:",
            "-o",
            "local.query-prefix=query:",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(RawIndexFile.properties(index))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "embedder.provider",
                "local",
                "embedder.model",
                "all-minilm-l6-v2",
                "embedder.dimensions",
                "384",
                "embedder.normalized",
                "true",
                "embedder.pooling",
                "mean",
                "embedder.max-sequence-length",
                "256",
                "embedder.query-prefix",
                "query:",
                "embedder.document-prefix",
                "passage:"));

    // the query is embedded as a query (its own prefix): the same model, so the identities match
    r = run("search", "--index", index.toString(), "--k", "1", "feeding", "a", "starter");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith(" 1. ").contains("doc.txt#1");

    r = run("search", "--index", index.toString(), "-o", "local.document-prefix=doc:", "starter");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(
            "holds vectors of local/all-minilm-l6-v2 (384 dims, normalized, pooling mean, max sequence length 256,"
                + " query prefix 'query:', document prefix 'passage:')")
        .contains("document prefix 'doc:'");

    // as earlier versions wrote it: the model's own pooling and length recorded empty
    VectorIndex built = VectorIndex.load(index);
    Path older = dir.resolve("older.bwi");
    RawIndexFile.write(
        older,
        384,
        Map.of(
            "embedder.provider",
            "local",
            "embedder.model",
            "all-minilm-l6-v2",
            "embedder.normalized",
            "true",
            "embedder.pooling",
            "",
            "embedder.max-sequence-length",
            "",
            "embedder.query-prefix",
            "",
            "embedder.document-prefix",
            ""),
        built.ids(),
        built.ids().stream().map(i -> built.metadata(i).orElseThrow()).toList(),
        built.ids().stream().map(i -> built.vector(i).orElseThrow()).toList());
    r = run("search", "--index", older.toString(), "--k", "1", "starter");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith(" 1. ");
  }

  @Test
  @DisplayName("JSONL documents keep their ids; a repeated document id is an input error")
  void jsonlDocuments() throws IOException {
    Path in = dir.resolve("docs.jsonl");
    Files.writeString(
        in,
        "{\"id\": \"a\", \"text\": \"apples and pears\"}\n{\"id\": \"b\", \"text\": \"trains and buses\"}\n");
    Path index = dir.resolve("d.bwi");
    CliRunner.Result r =
        run(
            "index",
            "--in",
            in.toString(),
            "--format",
            "jsonl",
            "--out",
            index.toString(),
            "--provider",
            "hashing",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(VectorIndex.load(index).ids()).containsExactly("a#1", "b#1");

    Files.writeString(
        in, "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"a\", \"text\": \"two\"}\n");
    r =
        run(
            "index",
            "--in",
            in.toString(),
            "--out",
            index.toString(),
            "--provider",
            "hashing",
            "-q");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(in + ":2: document id 'a' appears twice");
  }

  @Test
  @DisplayName("search fails clearly on a missing, foreign or corrupt index, and on another model")
  void searchErrors() throws IOException {
    CliRunner.Result r = run("search", "--index", dir.resolve("none.bwi").toString(), "q");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .containsExactly("batchwise search: index not found: " + dir.resolve("none.bwi"));

    Path notIndex = dir.resolve("notes.txt");
    Files.writeString(notIndex, "hello there, I am text");
    r = run("search", "--index", notIndex.toString(), "q");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("not a Batchwise index file");

    Path index = dir.resolve("c.bwi");
    Path in = dir.resolve("doc.txt");
    Files.writeString(in, "a small document about volcanoes and lava");
    assertThat(
            run(
                    "index",
                    "--in",
                    in.toString(),
                    "--out",
                    index.toString(),
                    "--provider",
                    "hashing",
                    "-q")
                .code())
        .isZero();
    r =
        run(
            "search",
            "--index",
            index.toString(),
            "--model",
            "hashing-words-v1",
            "--provider",
            "hashing",
            "lava");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("hashing/hashing-v1")
        .contains("cannot be compared");

    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length / 2] ^= 1;
    Files.write(index, bytes);
    r = run("search", "--index", index.toString(), "lava");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("checksum mismatch");

    r = run("search", "--index", index.toString(), "--k", "0", "lava");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  @DisplayName("chunk sizes are checked against the model and each other")
  void chunkOptions() throws IOException {
    Path in = dir.resolve("doc.txt");
    Files.writeString(in, "text");
    CliRunner.Result r =
        run(
            "index",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("x.bwi").toString(),
            "--provider",
            "hashing",
            "--chunk-tokens",
            "20",
            "--overlap",
            "20");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("--overlap was 20")
        .contains("[0, 19]");
    r =
        run(
            "index",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("x.bwi").toString(),
            "--provider",
            "hashing",
            "--chunk-tokens",
            "100000");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("over the model's limit of 8192");
    r =
        run(
            "index",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("missing/x.bwi").toString(),
            "--provider",
            "hashing");
    assertThat(r.code()).isEqualTo(ExitCodes.OUTPUT);
  }
}

package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static io.batchwise.examples.cli.CliRunner.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code embed} reads and writes: paths named absolutely, {@code --out -} as standard output,
 * ids kept as given, npy ids beside the matrix. (That relative paths resolve against the directory
 * the launcher was started from is {@code LauncherIT}'s, since it needs a process of its own.)
 */
class PathsAndStreamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String[] embed(String... more) {
    String[] base = {"embed", "--provider", "hashing", "--dimensions", "16"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  @DisplayName(
      "a relative path that does not exist is named as the absolute path it was resolved to")
  void messagesNameAbsolutePaths() throws IOException {
    CliRunner.Result r =
        run(embed("--in", "no-such-input.txt", "--out", dir.resolve("o.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .containsExactly(
            "batchwise embed: input not found: " + Path.of("no-such-input.txt").toAbsolutePath());

    Path in = Files.writeString(dir.resolve("in.txt"), "text\n");
    r = run(embed("--in", in.toString(), "--out", "no-such-dir/o.jsonl"));
    assertThat(r.code()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "batchwise embed: cannot write " + Path.of("no-such-dir/o.jsonl").toAbsolutePath());
  }

  @Test
  @DisplayName(
      "--out - writes the JSONL to stdout; the progress bar and report stay on stderr; no file named -")
  void outToStdout() throws IOException {
    CliRunner.Result r =
        runWithStdin("first text\nsecond text\n", embed("--in", "-", "--out", "-"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    List<float[]> expected = VectorFiles.reference(16, List.of("first text", "second text"));
    for (int i = 0; i < 2; i++) {
      JsonNode record = JSON.readTree(lines.get(i));
      assertThat(record.get("id").asInt()).isEqualTo(i);
      assertThat(VectorFiles.vector(record)).containsExactly(expected.get(i));
    }
    assertThat(r.err()).contains("batchwise report (hashing/hashing-v1)");
    assertThat(Path.of("-")).doesNotExist();

    r = runWithStdin("x\n", embed("--in", "-", "--out", "-", "--out-format", "npy"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("--out - writes JSONL only");
    assertThat(r.out()).isEmpty();
  }

  @Test
  @DisplayName(
      "a JSONL id comes back as it was given: a number as the same JSON number, a string as a string")
  void idsKeepTheirJsonType() throws IOException {
    Path in =
        Files.writeString(
            dir.resolve("in.jsonl"),
            """
        {"id": 1, "text": "one"}
        {"id": 2.50, "text": "two"}
        {"id": 12345678901234567890123, "text": "three"}
        {"id": "7", "text": "four"}
        {"id": -3e2, "text": "five"}
        {"text": "six"}
        """);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = run(embed("--in", in.toString(), "--out", out.toString(), "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> ids =
        Files.readAllLines(out).stream()
            .map(l -> l.substring(0, l.indexOf(",\"embedding\"")))
            .toList();
    assertThat(ids)
        .containsExactly(
            "{\"id\":1",
            "{\"id\":2.50",
            "{\"id\":12345678901234567890123",
            "{\"id\":\"7\"",
            "{\"id\":-3E+2",
            "{\"id\":5");
    assertThat(JSON.readTree(Files.readAllLines(out).get(4)).get("id").decimalValue())
        .isEqualByComparingTo("-300");
  }

  @Test
  @DisplayName("npy output writes the ids beside it, NAME.ids.txt, one per row in row order")
  void npyIdsBeside() throws IOException {
    Path in =
        Files.writeString(
            dir.resolve("in.jsonl"),
            """
        {"id": "doc-a", "text": "apples"}
        {"text": "pears"}
        {"id": 42, "text": "plums"}
        """);
    Path npy = dir.resolve("vectors.npy");
    CliRunner.Result r = run(embed("--in", in.toString(), "--out", npy.toString(), "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(VectorFiles.npy(npy)).hasSize(3);
    assertThat(Files.readString(dir.resolve("vectors.ids.txt"), StandardCharsets.UTF_8))
        .isEqualTo("doc-a\n1\n42\n");
  }

  @Test
  @DisplayName(
      "an id with a line break cannot be one line of NAME.ids.txt: exit 3 naming the input, nothing written")
  void npyIdWithALineBreak() throws IOException {
    Path in =
        Files.writeString(dir.resolve("in.jsonl"), "{\"id\": \"a\\nb\", \"text\": \"apples\"}\n");
    Path npy = dir.resolve("vectors.npy");
    CliRunner.Result r = run(embed("--in", in.toString(), "--out", npy.toString(), "-q"));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .containsExactly(
            "batchwise embed: "
                + in
                + ":1: the id holds a line break, but "
                + dir.resolve("vectors.ids.txt")
                + " holds one id per line (use --out-format jsonl)");
    assertThat(npy).doesNotExist();
  }
}

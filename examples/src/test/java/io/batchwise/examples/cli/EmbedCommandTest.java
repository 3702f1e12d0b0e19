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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batchwise embed}, in-process, with the fast hashing provider. */
class EmbedCommandTest {
  private static final String[] HASHING = {"--provider", "hashing", "--dimensions", "32"};

  @TempDir Path dir;

  private static String[] args(String... more) {
    return Stream.concat(Stream.of("embed"), Stream.concat(Stream.of(HASHING), Stream.of(more)))
        .toArray(String[]::new);
  }

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  @DisplayName(
      "lines in, JSONL out: one record per non-blank line, in input order, ids = positions, exact vectors")
  void linesToJsonl() throws IOException {
    Path in = write("in.txt", "alpha beta\ngamma delta\n\nalpha beta\r\nepsilon\n");
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = run(args("--in", in.toString(), "--out", out.toString(), "--quiet"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    List<JsonNode> records = VectorFiles.jsonl(out);
    List<String> texts = List.of("alpha beta", "gamma delta", "alpha beta", "epsilon");
    List<float[]> expected = VectorFiles.reference(32, texts);
    assertThat(records).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(records.get(i).get("id").isNumber()).isTrue();
      assertThat(records.get(i).get("id").asInt()).isEqualTo(i);
      assertThat(VectorFiles.vector(records.get(i))).containsExactly(expected.get(i));
    }
  }

  @Test
  @DisplayName(
      "JSONL in: the text and id fields are read; an input without an id gets its position")
  void jsonlFields() throws IOException {
    Path in =
        write(
            "in.jsonl",
            """
        {"key": "a-1", "body": "first text"}
        {"key": 42, "body": "second text", "other": [1, 2]}

        {"body": "third text"}
        """);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        run(
            args(
                "--in",
                in.toString(),
                "--text-field",
                "body",
                "--id-field",
                "key",
                "--out",
                out.toString(),
                "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).extracting(n -> n.get("id").asText()).containsExactly("a-1", "42", "2");
    assertThat(records.get(2).get("id").isNumber()).isTrue();
    List<float[]> expected =
        VectorFiles.reference(32, List.of("first text", "second text", "third text"));
    for (int i = 0; i < 3; i++) {
      assertThat(VectorFiles.vector(records.get(i))).containsExactly(expected.get(i));
    }
  }

  @Test
  @DisplayName(
      "npy out: a version 1.0 float32 matrix of shape (inputs, dimensions), rows in input order")
  void npy() throws IOException {
    Path in = write("in.txt", "one\ntwo\nthree\ntwo\n");
    Path out = dir.resolve("v.npy");
    CliRunner.Result r = run(args("--in", in.toString(), "--out", out.toString(), "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<float[]> rows = VectorFiles.npy(out);
    List<float[]> expected = VectorFiles.reference(32, List.of("one", "two", "three", "two"));
    assertThat(rows).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(rows.get(i)).containsExactly(expected.get(i));
    }
  }

  @Test
  @DisplayName(
      "fvecs out (chosen with --out-format): dimension then floats per vector, in input order")
  void fvecs() throws IOException {
    Path in = write("in.txt", "red apples\ngreen pears\n");
    Path out = dir.resolve("v.bin");
    CliRunner.Result r =
        run(args("--in", in.toString(), "--out", out.toString(), "--out-format", "fvecs", "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<float[]> rows = VectorFiles.fvecs(out);
    List<float[]> expected = VectorFiles.reference(32, List.of("red apples", "green pears"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsExactly(expected.get(0));
    assertThat(rows.get(1)).containsExactly(expected.get(1));
  }

  @Test
  @DisplayName(
      "a directory: one text per text file, ids are relative paths; binary, non-UTF-8 and empty files are skipped with a line each")
  void directory() throws IOException {
    write("docs/b.txt", "bananas are yellow");
    write("docs/a/one.md", "apples are red");
    write("docs/.hidden/secret.txt", "not read");
    write("docs/empty.txt", "  \n");
    Files.write(dir.resolve("docs/image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
    Files.write(dir.resolve("docs/latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        run(args("--in", dir.resolve("docs").toString(), "--out", out.toString(), "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).extracting(n -> n.get("id").asText()).containsExactly("a/one.md", "b.txt");
    assertThat(VectorFiles.vector(records.get(0)))
        .containsExactly(VectorFiles.reference(32, List.of("apples are red")).get(0));
    assertThat(r.errLines()).hasSize(3);
    assertThat(r.err())
        .contains("empty.txt: not a text file: it is empty")
        .contains("image.png: not a text file: it is binary (a NUL byte at offset 4)")
        .contains("latin1.txt: not a text file: invalid UTF-8 at line 1 (byte offset 3)")
        .doesNotContain("secret");
  }

  @Test
  @DisplayName("stdin (-) is read as lines")
  void stdin() throws IOException {
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        runWithStdin("from stdin\nsecond\n", args("--in", "-", "--out", out.toString(), "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(VectorFiles.jsonl(out)).hasSize(2);
  }

  @Test
  @DisplayName("a missing input: exit 3 and one line naming it")
  void missingInput() {
    CliRunner.Result r =
        run(
            args(
                "--in",
                dir.resolve("nope.txt").toString(),
                "--out",
                dir.resolve("o.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .containsExactly("batchwise embed: input not found: " + dir.resolve("nope.txt"));
    assertThat(dir.resolve("o.jsonl")).doesNotExist();
  }

  @Test
  @DisplayName("a binary file given as input: exit 3 and one line with the offset of the NUL byte")
  void binaryInput() throws IOException {
    Path bin = dir.resolve("data.bin");
    Files.write(bin, new byte[] {'a', 'b', 0, 'c'});
    CliRunner.Result r =
        run(args("--in", bin.toString(), "--out", dir.resolve("o.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(bin.toString())
        .contains("is not a text file")
        .contains("NUL byte at offset 2");
  }

  @Test
  @DisplayName("invalid UTF-8 in an input file: exit 3 naming the line")
  void invalidUtf8() throws IOException {
    Path in = dir.resolve("in.txt");
    Files.write(in, new byte[] {'o', 'k', '\n', 'b', 'a', 'd', (byte) 0xC3, '(', '\n'});
    CliRunner.Result r =
        run(args("--in", in.toString(), "--out", dir.resolve("o.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("invalid UTF-8 at line 2");
  }

  @Test
  @DisplayName(
      "an invalid JSONL line: exit 3 naming its line; --skip-invalid skips it with a line and goes on")
  void invalidJsonl() throws IOException {
    Path in =
        write(
            "in.jsonl",
            "{\"text\": \"good one\"}\n{\"text\": \"good two\"}\n{\"text\": oops}\n{\"id\": 1}\n{\"text\": \"good three\"}\n");
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = run(args("--in", in.toString(), "--out", out.toString(), "-q"));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(in + ":3: invalid JSON")
        .contains("--skip-invalid");
    assertThat(out).doesNotExist();

    Path report = dir.resolve("report.json");
    r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                out.toString(),
                "--skip-invalid",
                "-q",
                "--report",
                report.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.errLines()).hasSize(2);
    assertThat(r.errLines().get(0)).contains("skipping " + in + ":3: invalid JSON");
    assertThat(r.errLines().get(1)).contains("skipping " + in + ":4: no field 'text'");
    assertThat(VectorFiles.jsonl(out)).hasSize(3);
    assertThat(new ObjectMapper().readTree(report.toFile()).get("skipped").asInt()).isEqualTo(2);
  }

  @Test
  @DisplayName("a text field that is not a string is an invalid line")
  void nonStringText() throws IOException {
    Path in = write("in.jsonl", "{\"text\": 12}\n");
    CliRunner.Result r =
        run(args("--in", in.toString(), "--out", dir.resolve("o.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).contains(in + ":1: field 'text' is not a string");
  }

  @Test
  @DisplayName("an output in a missing directory, or that is a directory: exit 4 before any work")
  void unwritableOutput() throws IOException {
    Path in = write("in.txt", "x\n");
    CliRunner.Result r =
        run(args("--in", in.toString(), "--out", dir.resolve("no/such/out.jsonl").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(r.errLines()).singleElement().asString().contains("does not exist");
    r = run(args("--in", in.toString(), "--out", dir.toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(r.errLines()).singleElement().asString().contains("it is a directory");
  }

  @Test
  @DisplayName(
      "inputs that get no vector: exit 5; JSONL has an error in place, npy is not written and the old file stays")
  void failedInputs() throws IOException {
    Path in = write("in.txt", "short\nthis input has far too many words\nfine too\n");
    String[] limits = {"-o", "limit-policy=fail", "-o", "max-tokens-per-input=3"};
    Path out = dir.resolve("out.jsonl");
    String[] a =
        Stream.concat(
                Stream.of(args("--in", in.toString(), "--out", out.toString(), "-q")),
                Stream.of(limits))
            .toArray(String[]::new);
    CliRunner.Result r = run(a);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    assertThat(r.errLines()).hasSize(2);
    assertThat(r.errLines().get(0)).contains("input 1 (" + in + ":2) got no vector");
    assertThat(r.errLines().get(1))
        .contains("1 of 3 inputs got no vector")
        .contains("\"error\" in their place");
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(3);
    assertThat(records.get(0).has("embedding")).isTrue();
    assertThat(records.get(1).get("error").asText())
        .startsWith("input 1 has 7 tokens; the limit is 3");
    assertThat(records.get(2).has("embedding")).isTrue();

    Path npy = dir.resolve("old.npy");
    Files.writeString(npy, "previous contents");
    a =
        Stream.concat(
                Stream.of(args("--in", in.toString(), "--out", npy.toString(), "-q")),
                Stream.of(limits))
            .toArray(String[]::new);
    r = run(a);
    assertThat(r.code()).isEqualTo(ExitCodes.EMBED);
    assertThat(r.errLines().get(1)).contains("was not written");
    assertThat(Files.readString(npy)).isEqualTo("previous contents");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  @DisplayName("the report: on stderr with a progress bar, and as JSON at --report")
  void report() throws IOException {
    Path in = write("in.txt", "a b\nc d\na b\ne f\n");
    Path out = dir.resolve("out.jsonl");
    Path report = dir.resolve("report.json");
    CliRunner.Result r =
        run(args("--in", in.toString(), "--out", out.toString(), "--report", report.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err())
        .contains("embed")
        .contains("4/4")
        .contains("batchwise report (hashing/hashing-v1)")
        .contains("unique inputs   3")
        .contains("call latency    p50");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("inputs").asInt()).isEqualTo(4);
    assertThat(json.get("uniqueInputs").asInt()).isEqualTo(3);
    assertThat(json.get("cacheHits").asInt()).isZero();
    assertThat(json.get("failures").asInt()).isZero();
    assertThat(json.get("retries").asInt()).isZero();
    assertThat(json.get("providerCalls").asInt()).isPositive();
    assertThat(json.get("tokens").asInt()).isEqualTo(6);
    assertThat(json.get("embedSeconds").asDouble()).isPositive();
    assertThat(json.get("callLatencyMillis").get("p50").isNumber()).isTrue();
    assertThat(json.get("callLatencyMillis").get("p99").asDouble())
        .isGreaterThanOrEqualTo(json.get("callLatencyMillis").get("p50").asDouble());
  }

  @Test
  @DisplayName(
      "--dry-run counts inputs, duplicates and tokens, writes nothing, and prices in-process work at $0")
  void dryRun() throws IOException {
    Path in = write("in.txt", "one two three\nfour five\none two three\n");
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = run(args("--in", in.toString(), "--out", out.toString(), "--dry-run"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("dry run: nothing was sent to hashing/hashing-v1")
        .containsPattern("inputs\\s+3")
        .containsPattern("unique inputs\\s+2")
        .containsPattern("tokens to send\\s+5")
        .containsPattern("calls\\s+1")
        .contains("$0 (runs in-process)");
    assertThat(out).doesNotExist();
  }

  @Test
  @DisplayName(
      "--dry-run looks texts up as an embed does: a text the limit cuts is a hit when its cut vector is"
          + " cached, under the provider's own limit and under a lowered one")
  void dryRunCountsHitsOfCutTexts() throws IOException {
    // over the hashing model's own 8,192 tokens per input, so truncate cuts it
    String long1 = String.join(" ", Collections.nCopies(9_000, "word"));
    Path in = write("in.txt", "a short text\n" + long1 + "\n");
    Path db = dir.resolve("cache.db");
    for (String[] limit : List.of(new String[0], new String[] {"-o", "max-tokens-per-input=8"})) {
      List<String> common =
          new ArrayList<>(
              List.of(
                  "--in",
                  in.toString(),
                  "--cache",
                  "sqlite",
                  "--cache-path",
                  db.toString(),
                  "-o",
                  "limit-policy=truncate",
                  "-q"));
      common.addAll(List.of(limit));
      List<String> embed = new ArrayList<>(common);
      embed.addAll(List.of("--out", dir.resolve("out.jsonl").toString()));
      CliRunner.Result r = run(args(embed.toArray(String[]::new)));
      assertThat(r.code()).as(r.toString()).isZero();
      List<String> dry = new ArrayList<>(common);
      dry.add("--dry-run");
      r = run(args(dry.toArray(String[]::new)));
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out())
          .as("with the limit %s", List.of(limit))
          .containsPattern("unique inputs\\s+2")
          .containsPattern("cache hits\\s+2")
          .containsPattern("to embed\\s+0")
          .containsPattern("tokens to send\\s+0")
          .containsPattern("calls\\s+0")
          .doesNotContain("over the limit");
    }
  }

  @Test
  @DisplayName(
      "--cache-path and --cache-uri map onto the chosen cache's options, or say why they do not apply")
  void cacheFlags() throws IOException {
    Path in = write("in.txt", "x y\n");
    Path db = dir.resolve("c.db");
    CliRunner.Result r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.jsonl").toString(),
                "-q",
                "--cache",
                "sqlite",
                "--cache-path",
                db.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(db).exists();

    r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.jsonl").toString(),
                "--cache-path",
                db.toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("--cache-path needs a cache that uses it");

    r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.jsonl").toString(),
                "--cache",
                "sqlite",
                "--cache-uri",
                "redis://localhost:1"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("--cache-uri does not apply to cache 'sqlite'");

    r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.jsonl").toString(),
                "--base-url",
                "http://x"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("--base-url does not apply to provider 'hashing'");
  }

  @Test
  @DisplayName("usage errors exit 2 with one line")
  void usageErrors() throws IOException {
    Path in = write("in.txt", "x\n");
    CliRunner.Result r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.x").toString(),
                "--out-format",
                "csv"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("--out-format must be jsonl, npy or fvecs");

    r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provider",
            "nosuch");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("'nosuch'").contains("hashing");

    r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--dimensions",
            "64");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(
            "--dimensions does not apply to provider 'local': it has no option 'local.dimensions'");

    r = run("embed", "--out", dir.resolve("o.jsonl").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("Missing required option: '--in");

    r = run(args("--in", in.toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("missing option --out");

    r =
        run(
            args(
                "--in",
                in.toString(),
                "--out",
                dir.resolve("o.jsonl").toString(),
                "-o",
                "concurency=4"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("unknown option 'concurency'");
  }
}

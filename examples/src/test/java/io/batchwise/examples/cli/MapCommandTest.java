package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.runWithEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.examples.classify.LoopbackChatServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batchwise map}, in-process, against the loopback chat server of the {@code classify}
 * example.
 */
class MapCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LABELS = List.of("sport", "science", "cooking");
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"label\":{\"enum\":"
          + "[\"sport\",\"science\",\"cooking\"]}},\"required\":[\"label\"],\"additionalProperties\":false}";

  @TempDir Path dir;

  private LoopbackChatServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackChatServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** A run with no key in the environment: the loopback server needs none. */
  private CliRunner.Result map(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "map",
                "--base-url",
                server.baseUrl(),
                "--model",
                "loopback",
                "-o",
                "openai.chat.context-window=8192"));
    all.addAll(List.of(args));
    return runWithEnvironment(Map.of(), all.toArray(String[]::new));
  }

  private static List<JsonNode> jsonl(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  @DisplayName(
      "JSONL in: one {id, answer} per input, in input order, ids as given; the report on stderr")
  void answersInOrder() throws IOException {
    Path in =
        write(
            "in.jsonl",
            """
        {"id": "a", "text": "The striker scored in the last minute of the match"}
        {"id": 7, "text": "Bake the bread until the crust is golden"}
        {"text": "The telescope found a planet around a distant star"}
        {"id": "a2", "text": "The striker scored in the last minute of the match"}
        """);
    Path schema = write("schema.json", SCHEMA);
    Path out = dir.resolve("answers.jsonl");
    CliRunner.Result r =
        map(
            "--in",
            in.toString(),
            "--instruction",
            "Label the text.",
            "--schema",
            schema.toString(),
            "--out",
            out.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> records = jsonl(out);
    assertThat(records).hasSize(4);
    assertThat(records.get(0).get("id").asText()).isEqualTo("a");
    assertThat(records.get(1).get("id").isNumber()).isTrue();
    assertThat(records.get(2).get("id").asInt()).isEqualTo(2);
    List<String> texts =
        List.of(
            "The striker scored in the last minute of the match",
            "Bake the bread until the crust is golden",
            "The telescope found a planet around a distant star",
            "The striker scored in the last minute of the match");
    for (int i = 0; i < 4; i++) {
      assertThat(records.get(i).get("answer").get("label").asText())
          .isEqualTo(LoopbackChatServer.label(LABELS, texts.get(i)));
    }
    assertThat(server.items()).as("the duplicate is asked once").isEqualTo(3);
    assertThat(r.err())
        .contains("batchwise map report (loopback)")
        .contains("inputs              4")
        .contains("unique inputs       3")
        .contains("requests            1");
  }

  @Test
  @DisplayName(
      "--cache sqlite: the rerun is answered by the cache (the JSON report says so) and writes the same answers")
  void cacheAndReport() throws IOException {
    Path in = write("in.txt", "first line of text\nsecond line of text\n");
    Path cache = dir.resolve("cache.db");
    Path report = dir.resolve("report.json");
    String[] args = {
      "--in",
      in.toString(),
      "--instruction",
      "Say something.",
      "--cache",
      "sqlite",
      "--cache-path",
      cache.toString(),
      "--quiet"
    };
    CliRunner.Result first =
        map(
            Stream.concat(Stream.of(args), Stream.of("--out", dir.resolve("1.jsonl").toString()))
                .toArray(String[]::new));
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.err()).isEmpty();
    int requests = server.requests();
    CliRunner.Result second =
        map(
            Stream.concat(
                    Stream.of(args),
                    Stream.of(
                        "--out", dir.resolve("2.jsonl").toString(), "--report", report.toString()))
                .toArray(String[]::new));
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(server.requests()).isEqualTo(requests);
    assertThat(Files.readString(dir.resolve("2.jsonl")))
        .isEqualTo(Files.readString(dir.resolve("1.jsonl")));
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("cacheHits").asInt()).isEqualTo(2);
    assertThat(json.get("requests").asInt()).isZero();
  }

  @Test
  @DisplayName(
      "--dry-run prints requests, prompt tokens, predicted answer tokens and cost, and sends nothing")
  void dryRun() throws IOException {
    Path in = write("in.txt", "one\ntwo\nthree\n");
    CliRunner.Result r =
        runWithEnvironment(
            Map.of(),
            "map",
            "--in",
            in.toString(),
            "--instruction",
            "Label it.",
            "--dry-run",
            "-o",
            "openai.chat.answer-tokens=10");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("batchwise map --dry-run (gpt-4o-mini): nothing was sent")
        .contains("inputs              3")
        .contains("requests            1")
        .contains("predicted out")
        .contains("estimated cost      $");
    assertThat(server.requests()).isZero();
  }

  @Test
  @DisplayName("inputs that get no answer: exit 5, an error in their place, the others answered")
  void failedItems() throws IOException {
    Path in = write("in.txt", "alpha text\nbeta text\n");
    // the loopback server answers with a label string; this schema wants a number
    Path schema = write("schema.json", "{\"type\": \"number\"}");
    Path out = dir.resolve("answers.jsonl");
    CliRunner.Result r =
        map(
            "--in",
            in.toString(),
            "--instruction",
            "Count.",
            "--schema",
            schema.toString(),
            "--out",
            out.toString(),
            "-o",
            "openai.chat.answer-attempts=2",
            "--quiet");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    assertThat(r.errLines()).last().asString().contains("2 of 2 inputs got no answer");
    List<JsonNode> records = jsonl(out);
    assertThat(records)
        .extracting(n -> n.get("error").asText())
        .allSatisfy(e -> assertThat(e).contains("does not match the schema"));
  }

  @Test
  @DisplayName(
      "bad input is reported as embed reports it: missing file 3, invalid JSONL line 3, bad schema 3, missing --out 2")
  void badInput() throws IOException {
    CliRunner.Result missing =
        map(
            "--in",
            dir.resolve("nope.txt").toString(),
            "--instruction",
            "x",
            "--out",
            dir.resolve("o.jsonl").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(missing.errLines())
        .singleElement()
        .asString()
        .contains("input not found")
        .contains("nope.txt");

    Path bad = write("bad.jsonl", "{\"text\": \"ok\"}\n{oops\n");
    CliRunner.Result invalid =
        map(
            "--in",
            bad.toString(),
            "--instruction",
            "x",
            "--out",
            dir.resolve("o.jsonl").toString());
    assertThat(invalid.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(invalid.errLines()).singleElement().asString().contains(bad + ":2");

    Path in = write("in.txt", "one\n");
    Path schema = write("schema.json", "{\"type\": ");
    CliRunner.Result badSchema =
        map(
            "--in",
            in.toString(),
            "--instruction",
            "x",
            "--schema",
            schema.toString(),
            "--out",
            dir.resolve("o.jsonl").toString());
    assertThat(badSchema.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(badSchema.errLines())
        .singleElement()
        .asString()
        .contains(schema.toString())
        .contains("not valid JSON");
    CliRunner.Result noSchema =
        map(
            "--in",
            in.toString(),
            "--instruction",
            "x",
            "--schema",
            dir.resolve("none.json").toString(),
            "--out",
            dir.resolve("o.jsonl").toString());
    assertThat(noSchema.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(noSchema.errLines()).singleElement().asString().contains("schema not found");

    CliRunner.Result noOut = map("--in", in.toString(), "--instruction", "x");
    assertThat(noOut.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noOut.errLines()).singleElement().asString().contains("missing option --out");
    assertThat(server.requests()).isZero();
    assertThat(dir.resolve("o.jsonl")).doesNotExist();
  }
}

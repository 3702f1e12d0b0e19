package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.providers.openai.FakeBatchServer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed --batch-api} against OpenAI's Batch API on loopback ({@link FakeBatchServer}): the
 * same output and report as the synchronous path; {@code --no-wait} prints the job id and the same
 * command run again resumes the job without uploading again; {@code --dry-run} prices the Batch API
 * beside the synchronous price.
 */
class BatchApiCommandTest {
  private static final String KEY = "sk-test-batch-0123456789";
  private static final int DIMENSIONS = 6;
  @TempDir Path dir;
  private MockWebServer server;
  private final FakeBatchServer fake = new FakeBatchServer(KEY).dimensions(DIMENSIONS);

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String[] embed(Path in, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "embed",
                "--in",
                in.toString(),
                "--out",
                out.toString(),
                "--batch-api",
                "--provider",
                "openai",
                "--base-url",
                server.url("/v1").toString(),
                "--model",
                "my-embedder",
                "--dimensions",
                Integer.toString(DIMENSIONS),
                "-o",
                "openai.api-key=" + KEY,
                "-o",
                "openai.batch.poll-interval=1ms",
                "-o",
                "openai.batch.max-poll-interval=5ms",
                "-o",
                "openai.batch.max-inputs-per-batch=1000",
                "-o",
                "openai.max-inputs-per-request=100"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private Path lines(int n) throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("text number " + (i % (n - 5))); // five repeats
    }
    return Files.write(dir.resolve("in.txt"), texts);
  }

  @Test
  @DisplayName("--batch-api writes every vector in input order and the synchronous path's report")
  void embedsThroughTheBatchApi() throws IOException {
    Path in = lines(1_500);
    Path out = dir.resolve("out.jsonl");
    Path report = dir.resolve("report.json");
    CliRunner.Result r = CliRunner.run(embed(in, out, "-q", "--report", report.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> texts = Files.readAllLines(in);
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(1_500);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).get("id").asInt()).isEqualTo(i);
      assertThat(VectorFiles.vector(records.get(i)))
          .containsExactly(FakeBatchServer.vectorFor(texts.get(i), DIMENSIONS));
    }
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("inputs").asInt()).isEqualTo(1_500);
    assertThat(json.get("uniqueInputs").asInt()).isEqualTo(1_495);
    assertThat(fake.creates()).isEqualTo(2); // 1,495 distinct texts, at most 1,000 per batch
    assertThat(Files.exists(dir.resolve("out.jsonl.batch")))
        .as("the job's state beside the output, gone once done")
        .isTrue();
    try (var left = Files.list(dir.resolve("out.jsonl.batch"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "--no-wait prints the job id and exits; the same command again resumes it: one upload per batch in all")
  void noWaitThenResume() throws IOException {
    Path in = lines(300);
    Path out = dir.resolve("out.jsonl");
    fake.holdInProgress(true);
    CliRunner.Result r = CliRunner.run(embed(in, out, "--no-wait"));
    assertThat(r.code()).as(r.toString()).isZero();
    String id = r.out().strip();
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(r.err()).contains("run the same command again");
    assertThat(out).doesNotExist();
    assertThat(fake.creates()).isEqualTo(1);

    fake.holdInProgress(false);
    r = CliRunner.run(embed(in, out, "-q"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(VectorFiles.jsonl(out)).hasSize(300);
    assertThat(fake.uploads()).isEqualTo(1);
    assertThat(fake.creates()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a request the service refuses: its inputs get an error in place, exit 5; progress and the report on stderr")
  void refusedRequestsExit5() throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      texts.add(i == 120 ? "text " + FakeBatchServer.POISON : "text number " + i);
    }
    Path in = Files.write(dir.resolve("in.txt"), texts);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        CliRunner.run(embed(in, out)); // with the progress bar and the report on stderr
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    assertThat(r.err())
        .contains("batch")
        .contains("requests")
        .contains("batchwise report (openai/my-embedder)")
        .contains("2/2 requests")
        .contains("batchwise: input 100 (")
        .contains("50 of 150 inputs got no vector");
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records.get(120).get("error").asText())
        .contains("input 120")
        .contains("This input was refused");
    assertThat(records.get(0).has("embedding")).isTrue();
  }

  @Test
  @DisplayName(
      "--dry-run shows the Batch API's price, half the list price, beside the synchronous price")
  void dryRunShowsTheBatchPrice() throws IOException {
    List<String> texts = List.of("first text", "second text", "third text");
    Path in = Files.write(dir.resolve("in.txt"), texts);
    long tokens =
        texts.stream().mapToLong(TokenizerRegistry.standalone().get("cl100k_base")::count).sum();
    CliRunner.Result r =
        CliRunner.run(
            "embed",
            "--in",
            in.toString(),
            "--provider",
            "openai",
            "--model",
            "text-embedding-3-large",
            "--dry-run");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            String.format(Locale.ROOT, "$%.4f (at $0.13 per million tokens)", tokens * 0.13 / 1e6))
        .containsPattern(
            "with --batch-api\\s+"
                + Pattern.quote(String.format(Locale.ROOT, "$%.4f", tokens * 0.065 / 1e6)));
    r =
        CliRunner.run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--no-wait");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--no-wait goes with --batch-api");
  }
}

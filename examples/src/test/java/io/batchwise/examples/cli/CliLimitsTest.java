package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed} splits its input into chunks, each an embed of its own, two in flight: the limits
 * hold over all of them, as the server on loopback counts. The per-minute tests stop the run with
 * {@code job-timeout} long before a minute passes, so they count what was sent in the run's first
 * minute: an upper bound that a slow machine cannot break (a slow machine may send fewer).
 */
class CliLimitsTest {
  private static final int DIMENSIONS = 4;
  /** Two chunks of 64 inputs, both in flight at once. */
  private static final int INPUTS = 128;
  @TempDir Path dir;
  private FakeOpenAi openai;

  @BeforeEach
  void start() throws IOException {
    openai = new FakeOpenAi(DIMENSIONS);
  }

  @AfterEach
  void stop() throws IOException {
    openai.close();
  }

  private Path lines(int n) throws IOException {
    return Files.write(dir.resolve("in.txt"), IntStream.range(0, n).mapToObj(i -> "text number " + i).toList());
  }

  private CliRunner.Result embed(Path in, Path out, String... options) {
    return run(Stream.concat(Stream.of("embed", "--in", in.toString(), "--out", out.toString(), "-q",
        "--provider", "openai", "--base-url", openai.baseUrl(), "--model", "my-embedder",
        "--dimensions", Integer.toString(DIMENSIONS), "-o", "openai.api-key=sk-test"), Stream.of(options))
        .toArray(String[]::new));
  }

  @Test
  @DisplayName("--concurrency 1 over five chunks: the server never works on two requests at once")
  void concurrencyOverChunks() throws IOException {
    openai.latencyMillis = 20;
    Path in = lines(300); // chunks of 64 inputs, 16 per request
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = embed(in, out, "--concurrency", "1", "-o", "openai.max-inputs-per-request=16");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(openai.requests.get()).isGreaterThanOrEqualTo(19);
    assertThat(openai.maxInFlight.get()).as("most requests in flight at once").isEqualTo(1);
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(300);
    assertThat(VectorFiles.vector(records.get(299))).containsExactly(FakeOpenAi.vectorOf("text number 299", DIMENSIONS));
  }

  @Test
  @DisplayName("-o requests-per-minute=3 over two chunks in flight: at most three requests in the run's first minute, not three per chunk")
  void requestsPerMinuteOverChunks() throws IOException {
    Path in = lines(INPUTS);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = embed(in, out, "-o", "openai.max-inputs-per-request=1",
        "-o", "requests-per-minute=3", "-o", "job-timeout=2s");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    assertThat(openai.requests.get()).as("requests the server received").isBetween(1, 3);
    assertThatUnsentSayWhy(out, openai.requests.get());
  }

  @Test
  @DisplayName("-o tokens-per-minute over four chunks: no more tokens in the run's first minute than the limit")
  void tokensPerMinuteOverChunks() throws IOException {
    Path in = lines(INPUTS);
    Tokenizer cl100k = TokenizerRegistry.standalone().get("cl100k_base");
    List<String> texts = Files.readAllLines(in);
    int each = cl100k.count(texts.get(0));
    assertThat(texts).allSatisfy(t -> assertThat(cl100k.count(t)).isEqualTo(each));
    long limit = 3L * each + each - 1; // three requests fit, a fourth does not
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r = embed(in, out, "-o", "openai.max-inputs-per-request=1",
        "-o", "tokens-per-minute=" + limit, "-o", "job-timeout=2s");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    long sent = 0;
    for (List<String> request : new ArrayList<>(openai.received)) {
      for (String t : request) {
        sent += cl100k.count(t);
      }
    }
    assertThat(sent).as("tokens the server received").isPositive().isLessThanOrEqualTo(limit);
    assertThatUnsentSayWhy(out, openai.requests.get());
  }

  /** Each request's one input has its vector; every other input has an error naming the job timeout. */
  private static void assertThatUnsentSayWhy(Path out, int embedded) throws IOException {
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(INPUTS);
    List<JsonNode> errors = records.stream().filter(n -> n.has("error")).toList();
    assertThat(errors).hasSize(INPUTS - embedded);
    assertThat(errors).allSatisfy(n -> assertThat(n.get("error").asText()).contains("job timeout of 2s passed before it"));
  }
}

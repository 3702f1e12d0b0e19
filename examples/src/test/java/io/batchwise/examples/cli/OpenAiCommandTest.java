package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code embed} with the real {@code openai} provider against an OpenAI-compatible server on
 * loopback, the dry run's token, request and cost figures, resuming through a real SQLite cache,
 * {@code tokens} with tiktoken, the progress bar moving per answered call, and the instance's
 * limits over {@code embed}'s stream windows (each window an embed of its own, two in flight;
 * {@value #WINDOW} inputs each here) as the server counts them. The per-minute tests stop the run
 * with {@code job-timeout} long before a minute passes, so they count what was sent in the run's
 * first minute: an upper bound that a slow machine cannot break (a slow machine may send fewer).
 */
class OpenAiCommandTest {
  private static final int DIMENSIONS = 6;

  /** Inputs per stream window in the limit tests. */
  private static final int WINDOW = 64;

  /** Two windows, both in flight at once. */
  private static final int INPUTS = 2 * WINDOW;

  @TempDir Path dir;
  private FakeOpenAi openai;

  @BeforeEach
  void start() throws IOException {
    openai = new FakeOpenAi(DIMENSIONS);
  }

  @AfterEach
  void stop() throws IOException {
    openai.release.countDown(); // a test that failed while the server held requests
    openai.close();
  }

  private String[] openAi(String... more) {
    return Stream.concat(
            Stream.of(
                "--provider",
                "openai",
                "--base-url",
                openai.baseUrl(),
                "--model",
                "my-embedder",
                "--dimensions",
                Integer.toString(DIMENSIONS),
                "-o",
                "openai.api-key=sk-test"),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private static String[] cmd(String command, String[] options, String... more) {
    return Stream.concat(Stream.concat(Stream.of(command), Stream.of(more)), Stream.of(options))
        .toArray(String[]::new);
  }

  private Path lines(int n) throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("text number " + (i % (n - 2))); // two repeats
    }
    return Files.write(dir.resolve("in.txt"), texts);
  }

  @Test
  @DisplayName(
      "embed through the openai provider: vectors from the server, in input order, duplicates sent once")
  void embedThroughOpenAi() throws IOException {
    Path in = lines(50);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        run(
            cmd(
                "embed",
                openAi("-q", "-o", "openai.max-inputs-per-request=16"),
                "--in",
                in.toString(),
                "--out",
                out.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> records = VectorFiles.jsonl(out);
    List<String> texts = Files.readAllLines(in);
    assertThat(records).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(records.get(i).get("id").asInt()).isEqualTo(i);
      assertThat(VectorFiles.vector(records.get(i)))
          .containsExactly(FakeOpenAi.vectorOf(texts.get(i), DIMENSIONS));
    }
    assertThat(openai.inputs.get()).isEqualTo(48);
    assertThat(openai.requests.get()).isEqualTo(3); // 48 distinct texts, 16 per request
  }

  @Test
  @DisplayName(
      "a rerun with a SQLite cache sends nothing: every text is a cache hit, and --dry-run says so")
  void resumableThroughTheCache() throws IOException {
    Path in = lines(30);
    Path cache = dir.resolve("cache.db");
    Path report = dir.resolve("report.json");
    String[] first =
        cmd(
            "embed",
            openAi(
                "-q",
                "--cache",
                "sqlite",
                "--cache-path",
                cache.toString(),
                "--report",
                report.toString()),
            "--in",
            in.toString(),
            "--out",
            dir.resolve("a.jsonl").toString());
    assertThat(run(first).code()).isZero();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("cacheHits").asInt()).isZero();
    assertThat(json.get("providerCalls").asInt()).isEqualTo(1);
    int requestsAfterFirst = openai.requests.get();

    CliRunner.Result r = run(first);
    assertThat(r.code()).as(r.toString()).isZero();
    json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("uniqueInputs").asInt()).isEqualTo(28);
    assertThat(json.get("cacheHits").asInt()).isEqualTo(28);
    assertThat(json.get("providerCalls").asInt()).isZero();
    assertThat(openai.requests.get()).isEqualTo(requestsAfterFirst);
    assertThat(Files.readAllLines(dir.resolve("a.jsonl"))).hasSize(30);

    r =
        run(
            cmd(
                "embed",
                openAi("--cache", "sqlite", "--cache-path", cache.toString(), "--dry-run"),
                "--in",
                in.toString()));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .containsPattern("cache hits\\s+28")
        .containsPattern("to embed\\s+0")
        .containsPattern("tokens to send\\s+0")
        .containsPattern("requests\\s+0");
  }

  @Test
  @DisplayName(
      "--dry-run counts tokens with the model's tiktoken encoding, packs requests and prices them; no key needed")
  void dryRunPrices() throws IOException {
    List<String> texts =
        List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Hello, world!",
            "Embeddings cost money per token.",
            "Hello, world!",
            "A fourth distinct text.",
            "And a fifth one.");
    Path in = Files.write(dir.resolve("in.txt"), texts);
    var tokenizer = TokenizerRegistry.standalone().get("cl100k_base");
    long tokens = texts.stream().distinct().mapToLong(tokenizer::count).sum();

    CliRunner.Result r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--provider",
            "openai",
            "--model",
            "text-embedding-3-large",
            "-o",
            "openai.max-inputs-per-request=2",
            "--dry-run");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("nothing was sent to openai/text-embedding-3-large")
        .containsPattern("inputs\\s+6")
        .containsPattern("unique inputs\\s+5")
        .containsPattern("cache hits\\s+0")
        .containsPattern("tokens to send\\s+" + tokens)
        .containsPattern("requests\\s+3")
        .contains(
            String.format(Locale.ROOT, "$%.4f (at $0.13 per million tokens)", tokens * 0.13 / 1e6));
    assertThat(openai.requests.get()).isZero();

    Path report = dir.resolve("dry.json");
    r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--provider",
            "openai",
            "--price-per-mtok",
            "1000",
            "--dry-run",
            "--report",
            report.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            String.format(Locale.ROOT, "$%.4f (at $1000 per million tokens)", tokens / 1000.0))
        .containsPattern("requests\\s+1");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("tokens").asLong()).isEqualTo(tokens);
    assertThat(json.get("estimatedCost").asDouble())
        .isEqualTo(tokens / 1000.0, org.assertj.core.api.Assertions.within(1e-9));

    r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--provider",
            "openai",
            "--model",
            "someone-elses-model",
            "--dimensions",
            "64",
            "--dry-run");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("unknown for this model: pass --price-per-mtok");
  }

  @Test
  @DisplayName(
      "the openai provider without an API key for api.openai.com: a usage error naming the variable")
  void missingKey() throws IOException {
    Path in = lines(4);
    // an empty value set here wins over any OPENAI_API_KEY in the environment, and counts as unset
    CliRunner.Result r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provider",
            "openai",
            "-o",
            "openai.api-key=");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("OPENAI_API_KEY")
        .doesNotContain("sk-");
    assertThat(dir.resolve("o.jsonl")).doesNotExist();
  }

  static Stream<Arguments> keysThatCannotBeHeaderValues() {
    return Stream.of(
        Arguments.of("a newline, Authorization header", "sk-badkey-part1\npart2-zz", null),
        Arguments.of(
            "a non-breaking space, Azure api-key header",
            "sk-badkey-part1\u00a0part2-zz",
            "openai.azure-deployment=dep"),
        Arguments.of(
            "a zero-width space, Authorization header", "sk-badkey-part1\u200bpart2-zz", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysThatCannotBeHeaderValues")
  @DisplayName(
      "an API key that cannot be a header value: exit 2, one line, the key nowhere, nothing sent")
  void aKeyThatCannotBeAHeaderValue(String what, String key, String extraOption)
      throws IOException {
    Path in = lines(4);
    Path out = dir.resolve("o.jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "embed",
                "--in",
                in.toString(),
                "--out",
                out.toString(),
                "--provider",
                "openai",
                "--base-url",
                openai.baseUrl(),
                "--model",
                "my-embedder",
                "--dimensions",
                "6",
                "-q"));
    if (extraOption != null) {
      args.addAll(List.of("-o", extraOption));
    }
    CliRunner.Result r =
        CliRunner.runWithEnvironment(Map.of("OPENAI_API_KEY", key), args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .as(r.toString())
        .singleElement()
        .asString()
        .startsWith("batchwise embed: ");
    for (String part : List.of("sk-badkey-part1", "part2-zz")) {
      assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(part);
    }
    assertThat(out).doesNotExist();
    assertThat(openai.requests.get()).isZero();
  }

  @Test
  @DisplayName("tokens counts and truncates with tiktoken (cl100k_base by default)")
  void tokens() {
    var cl100k = TokenizerRegistry.standalone().get("cl100k_base");
    String text = "Tokenizers count what models see, not what people read.";
    CliRunner.Result r = run("tokens", text);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().strip()).isEqualTo(Integer.toString(cl100k.count(text)));

    r = run("tokens", "--truncate", "3", text);
    assertThat(r.code()).isZero();
    assertThat(r.out().strip()).isEqualTo(cl100k.truncate(text, 3));
    assertThat(cl100k.count(r.out().strip())).isLessThanOrEqualTo(3);

    r = CliRunner.runWithStdin(text, "tokens", "--tokenizer", "o200k_base", "-");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().strip())
        .isEqualTo(Integer.toString(TokenizerRegistry.standalone().get("o200k_base").count(text)));
  }

  private Path distinctLines(int n) throws IOException {
    return Files.write(
        dir.resolve("in.txt"), IntStream.range(0, n).mapToObj(i -> "distinct text " + i).toList());
  }

  private CliRunner.Result embedLimited(Path in, Path out, String... options) {
    return run(
        cmd(
            "embed",
            openAi(
                Stream.concat(Stream.of("-q", "-o", "stream-window=" + WINDOW), Stream.of(options))
                    .toArray(String[]::new)),
            "--in",
            in.toString(),
            "--out",
            out.toString()));
  }

  @Test
  @DisplayName(
      "--concurrency 1 over five stream windows: the server never works on two requests at once")
  void concurrencyOverWindows() throws IOException {
    openai.latencyMillis = 20;
    Path in = distinctLines(300); // five windows of 64 inputs, 16 per request
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        embedLimited(in, out, "--concurrency", "1", "-o", "openai.max-inputs-per-request=16");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(openai.requests.get()).isGreaterThanOrEqualTo(19);
    assertThat(openai.maxInFlight.get()).as("most requests in flight at once").isEqualTo(1);
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(300);
    assertThat(VectorFiles.vector(records.get(299)))
        .containsExactly(FakeOpenAi.vectorOf("distinct text " + 299, DIMENSIONS));
  }

  @Test
  @DisplayName(
      "-o requests-per-minute=3 over two windows in flight: at most three requests in the run's first minute, not three per window")
  void requestsPerMinuteOverWindows() throws IOException {
    Path in = distinctLines(INPUTS);
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        embedLimited(
            in,
            out,
            "-o",
            "openai.max-inputs-per-request=1",
            "-o",
            "requests-per-minute=3",
            "-o",
            "job-timeout=2s");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.EMBED);
    assertThat(openai.requests.get()).as("requests the server received").isBetween(1, 3);
    assertThatUnsentSayWhy(out, openai.requests.get());
  }

  @Test
  @DisplayName(
      "-o tokens-per-minute over two windows in flight: no more tokens in the run's first minute than the limit")
  void tokensPerMinuteOverWindows() throws IOException {
    Path in = distinctLines(INPUTS);
    Tokenizer cl100k = TokenizerRegistry.standalone().get("cl100k_base");
    List<String> texts = Files.readAllLines(in);
    int each = cl100k.count(texts.get(0));
    assertThat(texts).allSatisfy(t -> assertThat(cl100k.count(t)).isEqualTo(each));
    long limit = 3L * each + each - 1; // three requests fit, a fourth does not
    Path out = dir.resolve("out.jsonl");
    CliRunner.Result r =
        embedLimited(
            in,
            out,
            "-o",
            "openai.max-inputs-per-request=1",
            "-o",
            "tokens-per-minute=" + limit,
            "-o",
            "job-timeout=2s");

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

  /**
   * Every input is in the output: at most one vector per request sent (one input each), and every
   * other input an error naming the job timeout.
   */
  private static void assertThatUnsentSayWhy(Path out, int requests) throws IOException {
    List<JsonNode> records = VectorFiles.jsonl(out);
    assertThat(records).hasSize(INPUTS);
    List<JsonNode> errors = records.stream().filter(n -> n.has("error")).toList();
    assertThat(INPUTS - errors.size()).as("inputs with a vector").isLessThanOrEqualTo(requests);
    assertThat(errors)
        .allSatisfy(
            n ->
                assertThat(n.get("error").asText()).contains("job timeout of 2s passed before it"));
  }

  /** Stderr as the command writes it, watched for a progress count above zero. */
  private static final class ProgressWatch extends OutputStream {
    private final Pattern done;
    private final StringBuffer text = new StringBuffer();
    private final CountDownLatch moved = new CountDownLatch(1);
    private volatile int firstCount;

    ProgressWatch(int total) {
      this.done = Pattern.compile("\\b(\\d+)/" + total + "\\b");
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      text.append(new String(b, off, len, StandardCharsets.UTF_8));
      Matcher m = done.matcher(text);
      while (moved.getCount() > 0 && m.find()) {
        int count = Integer.parseInt(m.group(1));
        if (count > 0) {
          firstCount = count;
          moved.countDown();
        }
      }
    }
  }

  @Test
  @DisplayName(
      "the progress bar counts the first call's inputs while the server still holds the second of the window's three calls")
  void progressMovesFromTheFirstCall() throws Exception {
    int perCall = 16;
    int inputs = 3 * perCall;
    long bound = 60; // seconds; a passing run waits for one redraw of the bar, a second
    Path in = distinctLines(inputs);
    Path out = dir.resolve("out.jsonl");
    openai.holdFrom = 2;
    ProgressWatch err = new ProgressWatch(inputs);
    String[] args =
        cmd(
            "embed",
            openAi("-o", "openai.max-inputs-per-request=" + perCall, "--concurrency", "1"),
            "--in",
            in.toString(),
            "--out",
            out.toString());
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                BatchwiseCli.execute(
                    args,
                    new ByteArrayInputStream(new byte[0]),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    ConfigSources.system()));

    assertThat(err.moved.await(bound, TimeUnit.SECONDS))
        .as("the bar moved while the second call was held; stderr so far: %s", err.text)
        .isTrue();
    assertThat(openai.requests.get()).as("calls answered when the bar moved").isEqualTo(1);
    assertThat(err.firstCount)
        .as("the first count shown is the first call's inputs")
        .isEqualTo(perCall);

    openai.release.countDown();
    assertThat(run.get(bound, TimeUnit.SECONDS)).as("exit code; stderr: %s", err.text).isZero();
    assertThat(VectorFiles.jsonl(out)).hasSize(inputs);
    assertThat(openai.requests.get()).isEqualTo(3);
    assertThat(err.text.toString()).contains(inputs + "/" + inputs);
  }
}

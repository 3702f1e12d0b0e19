package io.batchwise.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Section;
import io.batchwise.benchmarks.harness.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /**
   * A table row whose last cell is a measured ratio, e.g. {@code | count cache, warm | 0.0010 |
   * 5238893.5 | 37.06 |}.
   */
  private static final Pattern RATIO_ROW =
      Pattern.compile("(?m)^\\| [^|]+ \\| [0-9.]+ \\| [0-9.]+ \\| ([0-9]+\\.[0-9]{2}) \\|$");

  @Test
  @DisplayName(
      "a quick run of the tokenizer section writes the report with machine, ratios, targets and the command")
  void quickTokenizerRunWritesTheReport() throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");
    int code =
        BenchmarkMain.run(
            new String[] {"--quick", "--only", "tokenizer", "--out", file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String md = Files.readString(file);
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    assertThat(md)
        .contains(
            "# Batchwise benchmarks",
            "Mode: quick",
            "cores available to the JVM",
            "- JDK: ",
            "Tokenizer: shared instances and the count cache",
            "--quick --only tokenizer`",
            "| registry's shared instance |",
            "| count cache, warm |");
    assertThat(md).doesNotContain("Incomplete", "FAILED", "Not measured");
    assertThat(RATIO_ROW.matcher(md).results().count())
        .as("ratio rows in%n%s", md)
        .isGreaterThanOrEqualTo(6);
    // the baseline's own ratio is exactly 1; the shared instance beats a tokenizer loaded per text
    assertThat(md)
        .containsPattern(
            "\\| new instance per text \\(baseline\\) \\| [0-9.]+ \\| [0-9.]+ \\| 1\\.00 \\|");
    assertThat(md).containsPattern("\\| \\S.* \\| (PASS|MISS) \\|");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("[1/1] tokenizer done");
    // DJL, loaded directly by the tokenizer section, must have been told not to phone home
    String optOut =
        System.getenv("OPT_OUT_TRACKING") != null
            ? System.getenv("OPT_OUT_TRACKING")
            : System.getProperty("OPT_OUT_TRACKING");
    assertThat(optOut).isEqualTo("true");
  }

  @Test
  @DisplayName(
      "a section that throws is reported with its error, the others still run, and the exit code is 1")
  void failingSectionIsReportedAndTheRestRun() throws Exception {
    Path file = dir.resolve("out/report.md");
    List<Section> sections =
        List.of(
            new Section(
                "broken",
                "test.Broken",
                false,
                () ->
                    new Fixed(
                        "Broken section",
                        () -> {
                          throw new IllegalStateException("the fake server did not start");
                        })),
            new Section(
                "unbuildable",
                "test.Unbuildable",
                false,
                () -> {
                  throw new IllegalStateException("no constructor for you");
                }),
            new Section(
                "fine",
                "test.Fine",
                false,
                () ->
                    new Fixed(
                        "Fine section",
                        () ->
                            "| x | 1 |\n"
                                + Target.TABLE_HEADER
                                + Target.atLeast("speed", 3, 2, "×").toMarkdownRow()
                                + Target.atLeast("other", 1, 2, "×").toMarkdownRow())));

    int code = run(sections, "--out", file.toString());

    String md = Files.readString(file);
    assertThat(code).isEqualTo(BenchmarkMain.EXIT_SECTION_FAILED);
    assertThat(md)
        .contains(
            "## 1. Broken section",
            "**FAILED**",
            "IllegalStateException: the fake server did not start",
            "## 2. Unbuildable",
            "no constructor for you",
            "## 3. Fine section",
            "| x | 1 |");
    assertThat(md).contains("3 section(s), 2 failed; targets: 1 met, 1 missed");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("section broken failed", "section unbuildable failed");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.md");
    }
  }

  @Test
  @DisplayName("quick mode leaves full-mode-only sections out unless --only names them")
  void quickModeSkipsFullModeOnlySections() throws Exception {
    Path file = dir.resolve("r.md");
    int[] runs = {0};
    List<Section> sections =
        List.of(
            new Section(
                "slow",
                "test.Slow",
                true,
                () ->
                    new Fixed(
                        "Slow",
                        () -> {
                          runs[0]++;
                          return "slow ran";
                        })),
            new Section("fast", "test.Fast", false, () -> new Fixed("Fast", () -> "fast ran")));

    assertThat(run(sections, "--quick", "--out", file.toString())).isZero();
    assertThat(Files.readString(file))
        .contains("fast ran", "## 1. Slow", "Not run in quick mode", "--only slow")
        .doesNotContain("slow ran");
    assertThat(runs[0]).isZero();

    assertThat(run(sections, "--quick", "--only", "slow", "--out", file.toString())).isZero();
    assertThat(Files.readString(file)).contains("slow ran").doesNotContain("fast ran");
    assertThat(runs[0]).isEqualTo(1);
  }

  @Test
  @DisplayName("a section that outlasts --section-timeout fails and the next one runs")
  void sectionTimeout() throws Exception {
    Path file = dir.resolve("r.md");
    CountDownLatch never = new CountDownLatch(1);
    List<Section> sections =
        List.of(
            new Section(
                "hang",
                "test.Hang",
                false,
                () ->
                    new Fixed(
                        "Hang",
                        () -> {
                          never.await();
                          return "unreachable";
                        })),
            new Section("fast", "test.Fast", false, () -> new Fixed("Fast", () -> "fast ran")));

    int code = run(sections, "--section-timeout", "1", "--out", file.toString());

    assertThat(code).isEqualTo(BenchmarkMain.EXIT_SECTION_FAILED);
    assertThat(Files.readString(file))
        .contains("did not finish within --section-timeout 1 s", "fast ran");
  }

  @Test
  @DisplayName("bad command lines exit with 2 and say what is wrong")
  void usageErrors() {
    List<Section> sections =
        List.of(new Section("fast", "test.Fast", false, () -> new Fixed("Fast", () -> "x")));
    assertThat(run(sections, "--only", "nosuch")).isEqualTo(BenchmarkMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no section named 'nosuch'; sections: fast");
    assertThat(
            BenchmarkMain.run(
                new String[] {"--frobnicate"}, new PrintStream(out), new PrintStream(err)))
        .isEqualTo(BenchmarkMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown option '--frobnicate' (argument 1)", "Usage:");
    assertThat(
            BenchmarkMain.run(new String[] {"--out"}, new PrintStream(out), new PrintStream(err)))
        .isEqualTo(BenchmarkMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out needs a value");
    assertThat(
            BenchmarkMain.run(
                new String[] {"--section-timeout", "0"},
                new PrintStream(out),
                new PrintStream(err)))
        .isEqualTo(BenchmarkMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--section-timeout was '0'");
  }

  @Test
  @DisplayName("--list names every discovered section, the JMH suite marked full mode only")
  void listsSections() {
    int code =
        BenchmarkMain.run(
            new String[] {"--list"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("tokenizer\tio.batchwise.benchmarks.tokenizer.TokenizerBenchmark")
        .contains("jmh\tio.batchwise.benchmarks.jmh.JmhSection\t(full mode only)");
  }

  private int run(List<Section> sections, String... args) {
    BenchmarkMain main =
        new BenchmarkMain(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    return main.run(BenchmarkMain.Options.parse(args), sections, args);
  }

  /** A section whose body is given. */
  private record Fixed(String title, Callable<String> body) implements MacroBenchmark {
    @Override
    public String run(boolean quick) throws Exception {
      return body.call();
    }
  }
}

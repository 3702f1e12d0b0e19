package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {
  private static final MachineInfo MACHINE =
      new MachineInfo(
          2, 8L << 30, 2L << 30, "Linux 6 (amd64)", "Test CPU", "Test JDK 17", List.of("-Xmx2g"));

  @Test
  @DisplayName(
      "a section's own title heading is dropped and its top-level headings nest under the report's")
  void nestsSectionHeadings() {
    String md =
        "## Agent scheduler\n\nintro\n\n## Overhead\n\n```\n## not a heading\n```\n### Detail\n";
    assertThat(BenchmarkReport.nested(md, "Agent scheduler"))
        .isEqualTo("intro\n\n### Overhead\n\n```\n## not a heading\n```\n### Detail");
    assertThat(BenchmarkReport.nested("# Other title\nx", "Agent scheduler"))
        .isEqualTo("### Other title\nx");
  }

  @Test
  @DisplayName(
      "the report holds the machine, a summary with target counts, each section and its command")
  void rendersSummaryAndSections() {
    Section ok = new Section("tokenizer", "a.TokenizerBenchmark", false, () -> null);
    Section bad = new Section("cache", "a.CacheBenchmark", false, () -> null);
    Section jmh = new Section("jmh", "a.JmhSection", true, () -> null);
    BenchmarkReport report =
        new BenchmarkReport(
            MACHINE,
            Instant.parse("2026-11-22T00:00:00.123Z"),
            true,
            "abc123",
            "java -jar b.jar --quick",
            "java -jar b.jar",
            List.of(
                SectionResult.ran(
                    ok,
                    "Tokenizer",
                    "| t | x |\n" + Target.atLeast("a", 2, 1, "×").toMarkdownRow(),
                    3.2),
                SectionResult.failed(
                    bad, "Cache", new IllegalStateException("redis did not start"), 1.5),
                SectionResult.notRunInQuickMode(jmh, "JMH micro-benchmarks")),
            1,
            true,
            9.5);

    String md = report.toMarkdown();
    assertThat(md)
        .contains(
            "**Incomplete:** 3 of 4 sections",
            "- Date: 2026-11-22T00:00:00Z",
            "- Mode: quick",
            "- Commit: `abc123`",
            "- CPU: Test CPU, 2 cores",
            "- JVM arguments: `-Xmx2g`",
            "| 1 | Tokenizer | `tokenizer` | ran | 3.2 | 1 | 0 |",
            "| 2 | Cache | `cache` | **FAILED** | 1.5 | — | — |",
            "| 3 | JMH micro-benchmarks | `jmh` | not run in quick mode |",
            "3 section(s), 1 failed; targets: 1 met, 0 missed",
            "## 1. Tokenizer",
            "Reproduce: `java -jar b.jar --quick --only tokenizer`",
            "## 2. Cache",
            "IllegalStateException: redis did not start",
            "Reproduce: `java -jar b.jar --quick --only cache`",
            "## 3. JMH micro-benchmarks",
            "Run it with `java -jar b.jar --only jmh`");
    assertThat(report.anyFailed()).isTrue();
    assertThat(md).as("no budget verdict while sections are pending").doesNotContain("budget");
  }

  @Test
  @DisplayName("a finished quick run of the whole suite is checked against the three-minute budget")
  void quickBudget() {
    assertThat(report(true, true, 179).toMarkdown())
        .contains("took 179.0 s on 2 cores (budget: 180 s on 2 cores): within budget");
    assertThat(report(true, true, 181).toMarkdown()).contains("**over budget**");
    assertThat(report(true, false, 181).toMarkdown()).doesNotContain("budget");
    assertThat(report(false, true, 181).toMarkdown()).doesNotContain("budget");
  }

  private static BenchmarkReport report(boolean quick, boolean wholeSuite, double seconds) {
    Section s = new Section("a", "a.A", false, () -> null);
    return new BenchmarkReport(
        MACHINE,
        Instant.EPOCH,
        quick,
        "",
        "cmd",
        "java -jar b.jar",
        List.of(SectionResult.ran(s, "A", "x", 1)),
        0,
        wholeSuite,
        seconds);
  }
}

package io.batchwise.benchmarks.harness;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders {@code BENCHMARKS.md}: how it was made and how to reproduce it, the machine, a summary of
 * every section (status, time, targets met and missed), then each section's own Markdown or its
 * failure. Immutable; render it again as more sections finish.
 *
 * @param machine where the run happened
 * @param started when the run started
 * @param quick whether this is a quick run
 * @param commit the source revision, or empty when unknown
 * @param command how this run was started, e.g. {@code java -jar
 *     benchmarks/target/batchwise-benchmarks.jar --quick}
 * @param launcher the command a single section is re-run with, without options, e.g. {@code java
 *     -jar benchmarks/target/batchwise-benchmarks.jar}
 * @param results the sections run so far, in order
 * @param pending how many selected sections have not run yet
 * @param wholeSuite whether every section was selected (no {@code --only})
 * @param elapsedSeconds wall time of the run so far
 */
public record BenchmarkReport(
    MachineInfo machine,
    Instant started,
    boolean quick,
    String commit,
    String command,
    String launcher,
    List<SectionResult> results,
    int pending,
    boolean wholeSuite,
    double elapsedSeconds) {

  /** The quick suite's budget on 2 cores, from the issue: three minutes. */
  public static final double QUICK_BUDGET_SECONDS = 180;

  /** The Maven command that builds the runnable benchmarks jar and its {@code lib} directory. */
  public static final String BUILD_COMMAND =
      "./mvnw -B -q -pl benchmarks -am package -DskipTests -Pbench";

  /** Checks and copies the fields. */
  public BenchmarkReport {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(launcher, "launcher");
    results = List.copyOf(results);
  }

  /**
   * The command that re-runs one section in this run's mode.
   *
   * @param section the section
   * @return e.g. {@code java -jar benchmarks/target/batchwise-benchmarks.jar --quick --only
   *     tokenizer}
   */
  public String reproduceCommand(Section section) {
    return launcher + (quick ? " --quick" : "") + " --only " + section.key();
  }

  /**
   * Whether a section failed.
   *
   * @return true when any result is {@link SectionResult.Status#FAILED}
   */
  public boolean anyFailed() {
    return results.stream().anyMatch(r -> r.status() == SectionResult.Status.FAILED);
  }

  /**
   * The whole file.
   *
   * @return Markdown
   */
  public String toMarkdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Batchwise benchmarks\n\n");
    if (pending > 0) {
      b.append("> **Incomplete:** ")
          .append(results.size())
          .append(" of ")
          .append(results.size() + pending)
          .append(
              " sections had finished when this file was written; the run is still going or was stopped.\n\n");
    }
    b.append(
            "Every figure below was measured in one run of one process. Each ratio divides a baseline's median ")
        .append(
            "time by a contender's, both measured in that same run with their rounds interleaved, so a ")
        .append(
            "ratio above 1 means faster than the baseline. Targets are checked against the measured ")
        .append("numbers each time the file is written; nothing here is typed in by hand.\n\n");
    appendRun(b);
    appendSummary(b);
    int n = 0;
    for (SectionResult r : results) {
      n++;
      appendSection(b, n, r);
    }
    return b.toString();
  }

  private void appendRun(StringBuilder b) {
    b.append("## This run\n\n");
    b.append("- Date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append('\n');
    b.append("- Mode: ")
        .append(
            quick ? "quick (every N scaled down; figures are noisier than a full run's)" : "full")
        .append('\n');
    if (!commit.isEmpty()) {
      b.append("- Commit: `").append(commit).append("`\n");
    }
    b.append("- Command: `").append(command).append("`\n");
    b.append(machine.toMarkdown());
    b.append("\n### How to reproduce\n\n");
    b.append("```\n")
        .append(BUILD_COMMAND)
        .append("            # the runnable jar and its lib/ directory\n")
        .append(launcher)
        .append(quick ? " --quick" : "")
        .append("       # every section, as in this file\n")
        .append(launcher)
        .append(quick ? " --quick" : "")
        .append(" --only KEY   # one section (keys in the summary)\n")
        .append("./batchwise bench")
        .append(quick ? " --quick" : "")
        .append("       # the same through the CLI\n")
        .append("```\n\n");
    b.append(
            "Each section below repeats the exact command for its own lines. The JMH micro-benchmarks run with ")
        .append("`java -jar benchmarks/target/batchwise-benchmarks.jar jmh [JMH options]`.\n\n");
  }

  private void appendSummary(StringBuilder b) {
    b.append(
            "## Summary\n\n| # | section | key | status | seconds | targets met | targets missed |\n")
        .append("|---:|---|---|---|---:|---:|---:|\n");
    int n = 0;
    int passed = 0;
    int missed = 0;
    int failed = 0;
    double seconds = 0;
    for (SectionResult r : results) {
      n++;
      passed += r.targetsPassed();
      missed += r.targetsMissed();
      failed += r.status() == SectionResult.Status.FAILED ? 1 : 0;
      seconds += r.seconds();
      boolean noTargets = r.targetsPassed() == 0 && r.targetsMissed() == 0;
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | `%s` | %s | %.1f | %s | %s |%n",
              n,
              r.title(),
              r.section().key(),
              statusText(r.status()),
              r.seconds(),
              noTargets ? "—" : r.targetsPassed(),
              noTargets ? "—" : r.targetsMissed()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%n%d section(s), %d failed; targets: %d met, %d missed; %.1f s in sections. "
                + "Targets are counted from the PASS and MISS rows of each section's target tables; — means the section "
                + "has none (it may state its targets in its text).%n%n",
            results.size(),
            failed,
            passed,
            missed,
            seconds));
    if (quick && wholeSuite && pending == 0) {
      b.append(
          String.format(
              Locale.ROOT,
              "The whole quick suite took %.1f s on %d cores (budget: %.0f s on 2 cores): %s.%n%n",
              elapsedSeconds,
              machine.cores(),
              QUICK_BUDGET_SECONDS,
              elapsedSeconds <= QUICK_BUDGET_SECONDS ? "within budget" : "**over budget**"));
    }
  }

  private static String statusText(SectionResult.Status s) {
    return switch (s) {
      case RAN -> "ran";
      case FAILED -> "**FAILED**";
      case NOT_RUN_IN_QUICK_MODE -> "not run in quick mode";
    };
  }

  /**
   * A section's Markdown placed under the report's own heading for it: a leading heading that
   * repeats the title is dropped, and headings of level 1 or 2 become level 3, so the report's
   * outline stays one entry per section. Lines inside code fences are left alone.
   *
   * @param markdown what the section returned
   * @param title the section's title
   * @return the Markdown to embed
   */
  static String nested(String markdown, String title) {
    List<String> lines = new ArrayList<>(markdown.strip().lines().toList());
    if (!lines.isEmpty()
        && lines.get(0).startsWith("#")
        && lines.get(0).replaceFirst("^#+\\s*", "").strip().equals(title.strip())) {
      lines.remove(0);
    }
    StringBuilder b = new StringBuilder();
    boolean fenced = false;
    for (String line : lines) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && (line.startsWith("# ") || line.startsWith("## "))) {
        line = "### " + line.replaceFirst("^#+\\s*", "");
      }
      b.append(line).append('\n');
    }
    return b.toString().strip();
  }

  private void appendSection(StringBuilder b, int n, SectionResult r) {
    b.append("## ").append(n).append(". ").append(r.title()).append("\n\n");
    switch (r.status()) {
      case RAN -> {
        b.append(
            String.format(
                Locale.ROOT,
                "Reproduce: `%s` (this section took %.1f s)%n%n",
                reproduceCommand(r.section()),
                r.seconds()));
        b.append(nested(r.markdown(), r.title())).append("\n\n");
      }
      case FAILED -> {
        b.append(
            String.format(
                Locale.ROOT,
                "**FAILED** after %.1f s (`%s`). Reproduce: `%s`%n%n",
                r.seconds(),
                r.section().className(),
                reproduceCommand(r.section())));
        b.append("```\n").append(r.error().strip()).append("\n```\n\n");
      }
      case NOT_RUN_IN_QUICK_MODE ->
          b.append("Not run in quick mode: it needs minutes at any scale. Run it with `")
              .append(launcher)
              .append(" --only ")
              .append(r.section().key())
              .append("`.\n\n");
    }
  }
}

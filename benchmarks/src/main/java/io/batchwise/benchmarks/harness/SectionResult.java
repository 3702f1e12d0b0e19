package io.batchwise.benchmarks.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What running one section produced: its Markdown, or the error it failed with, and how long it
 * took. Immutable.
 *
 * @param section the section
 * @param title its title, or its class name when it could not be created
 * @param status how it ended
 * @param markdown the section's own Markdown; empty unless {@link Status#RAN}
 * @param error the failure's stack trace; empty unless {@link Status#FAILED}
 * @param seconds wall time spent on it
 */
public record SectionResult(
    Section section, String title, Status status, String markdown, String error, double seconds) {

  private static final Pattern PASS = Pattern.compile("\\bPASS\\b");
  private static final Pattern MISS = Pattern.compile("\\bMISS\\b");

  /** Enough stack to place a failure without burying the report. */
  private static final int MAX_STACK_LINES = 25;

  /** How a section ended. */
  public enum Status {
    /** It ran and returned its Markdown. */
    RAN,
    /** It threw, timed out, or could not be created. */
    FAILED,
    /** A quick run left it out (it is {@link FullModeOnly}). */
    NOT_RUN_IN_QUICK_MODE
  }

  /** Checks the fields. */
  public SectionResult {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(error, "error");
  }

  /**
   * A section that ran.
   *
   * @param section the section
   * @param title its title
   * @param markdown what it returned
   * @param seconds its wall time
   * @return the result
   */
  public static SectionResult ran(Section section, String title, String markdown, double seconds) {
    return new SectionResult(
        section, title, Status.RAN, markdown == null ? "" : markdown, "", seconds);
  }

  /**
   * A section that failed.
   *
   * @param section the section
   * @param title its title, if it got that far
   * @param failure what it threw
   * @param seconds the time until it failed
   * @return the result, with the failure's stack trace cut to its first lines
   */
  public static SectionResult failed(
      Section section, String title, Throwable failure, double seconds) {
    StringWriter w = new StringWriter();
    failure.printStackTrace(new PrintWriter(w));
    String[] lines = w.toString().split("\\R");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length && i < MAX_STACK_LINES; i++) {
      b.append(lines[i]).append('\n');
    }
    if (lines.length > MAX_STACK_LINES) {
      b.append("\t... ").append(lines.length - MAX_STACK_LINES).append(" more lines\n");
    }
    return new SectionResult(section, title, Status.FAILED, "", b.toString(), seconds);
  }

  /**
   * A section a quick run left out.
   *
   * @param section the section
   * @param title its title
   * @return the result
   */
  public static SectionResult notRunInQuickMode(Section section, String title) {
    return new SectionResult(section, title, Status.NOT_RUN_IN_QUICK_MODE, "", "", 0);
  }

  /**
   * Targets the section's Markdown reports as met.
   *
   * @return the number of {@code PASS} words in it
   */
  public int targetsPassed() {
    return count(PASS);
  }

  /**
   * Targets the section's Markdown reports as missed.
   *
   * @return the number of {@code MISS} words in it
   */
  public int targetsMissed() {
    return count(MISS);
  }

  private int count(Pattern p) {
    Matcher m = p.matcher(markdown);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}

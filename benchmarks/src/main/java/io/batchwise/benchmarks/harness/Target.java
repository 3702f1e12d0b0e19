package io.batchwise.benchmarks.harness;

import java.util.List;
import java.util.Locale;

/**
 * A performance target checked against a number measured in the same run, rendered as a Markdown
 * table row ending in {@code PASS} or {@code MISS}. The report counts those words, so sections
 * render their targets through this class. Immutable.
 *
 * <pre>{@code
 * Target t = Target.atLeast("warm Caffeine vs cold provider", r.ratio("warm caffeine"), 100, "×");
 * markdown.append(Target.TABLE_HEADER).append(t.toMarkdownRow());
 * }</pre>
 *
 * @param claim what is claimed, e.g. {@code speed-up of the provider over one text per call}
 * @param measured the measured value
 * @param threshold the value the claim needs
 * @param higherIsBetter whether {@code measured} must be at least (true) or at most (false) {@code
 *     threshold}
 * @param unit how the numbers are read, e.g. {@code ×} or {@code ms}
 */
public record Target(
    String claim, double measured, double threshold, boolean higherIsBetter, String unit) {

  /** The header of a targets table; rows come from {@link #toMarkdownRow()}. */
  public static final String TABLE_HEADER =
      "| target | measured | needed | result |\n|---|---:|---:|---|\n";

  /**
   * A section's targets as a titled Markdown table, the form the report counts.
   *
   * @param targets the targets, in the order to show them
   * @return a "### Targets" heading, the header and one row per target
   */
  public static String table(List<Target> targets) {
    StringBuilder b = new StringBuilder("### Targets\n\n").append(TABLE_HEADER);
    targets.forEach(t -> b.append(t.toMarkdownRow()));
    return b.toString();
  }

  /**
   * A target the measured value must reach or exceed.
   *
   * @param claim what is claimed
   * @param measured the measured value
   * @param threshold the least value that passes
   * @param unit how the numbers are read
   * @return the target
   */
  public static Target atLeast(String claim, double measured, double threshold, String unit) {
    return new Target(claim, measured, threshold, true, unit);
  }

  /**
   * A target the measured value must not exceed.
   *
   * @param claim what is claimed
   * @param measured the measured value
   * @param threshold the greatest value that passes
   * @param unit how the numbers are read
   * @return the target
   */
  public static Target atMost(String claim, double measured, double threshold, String unit) {
    return new Target(claim, measured, threshold, false, unit);
  }

  /**
   * Whether the measured value meets the threshold. A measured NaN (a failed or empty measurement)
   * never passes.
   *
   * @return true when the target is met
   */
  public boolean passed() {
    if (Double.isNaN(measured)) {
      return false;
    }
    return higherIsBetter ? measured >= threshold : measured <= threshold;
  }

  /**
   * One row of a targets table.
   *
   * @return {@code | claim | measured | ≥ threshold | PASS |}
   */
  public String toMarkdownRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %s%s | %s %s%s | %s |%n",
        claim,
        number(measured),
        unit,
        higherIsBetter ? "≥" : "≤",
        number(threshold),
        unit,
        passed() ? "PASS" : "MISS");
  }

  private static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}

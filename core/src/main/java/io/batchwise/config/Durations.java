package io.batchwise.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as Batchwise writes them wherever a person types one (options, {@code @Cached(ttl)}):
 * ISO-8601 ({@code PT30S}, {@code P1D}) or a whole number with one unit, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code
 * 7d}). The one place that reads and writes them, so that every module accepts the same forms.
 *
 * <pre>{@code
 * Duration ttl = Durations.parse("7d");      // PT168H
 * String shown = Durations.format(ttl);      // "7d"
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Durations {
  /** The forms an error message offers as examples. */
  public static final String EXAMPLES = "250ms, 30s, 5m, 12h, 7d or PT30S";

  /**
   * The longest duration a count of nanoseconds in a {@code long} holds, about 292 years: no
   * duration option is longer, so that code may convert any of them to nanoseconds.
   */
  public static final Duration MAX = Duration.ofNanos(Long.MAX_VALUE);

  /** The units, largest first, and their lengths in milliseconds. */
  private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

  private Durations() {}

  /**
   * Reads a duration. Surrounding spaces and case do not matter; a negative number gives a negative
   * duration (ranges are the reader's to check).
   *
   * @param text e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}, {@code PT1H}
   * @return the duration
   * @throws IllegalArgumentException when the text is none of the forms, or too large for a {@link
   *     Duration}; the message quotes the text
   */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p") || t.startsWith("-p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      for (int i = UNIT_NAMES.length - 1; i >= 0; i--) { // smallest first: "ms" before "m" and "s"
        String unit = UNIT_NAMES[i];
        if (t.endsWith(unit) && t.length() > unit.length()) {
          long n = Long.parseLong(t.substring(0, t.length() - unit.length()).strip());
          return Duration.ofMillis(Math.multiplyExact(n, UNIT_MILLIS[i]));
        }
      }
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("not a duration such as " + EXAMPLES + ": '" + text + "'");
  }

  /**
   * Writes a duration the way {@link #parse} reads it, in the largest unit that holds it exactly:
   * {@code 7d}, {@code 12h}, {@code 5m}, {@code 30s}, {@code 250ms}, {@code 0s}; ISO-8601 for what
   * no whole number of milliseconds holds.
   *
   * @param duration the duration
   * @return the text; {@code parse(format(d))} equals {@code d}
   */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.getNano() % 1_000_000 == 0) {
      long millis;
      try {
        millis = duration.toMillis();
      } catch (ArithmeticException e) {
        return duration.toString();
      }
      for (int i = 0; i < UNIT_NAMES.length; i++) {
        if (millis % UNIT_MILLIS[i] == 0) {
          return (millis / UNIT_MILLIS[i]) + UNIT_NAMES[i];
        }
      }
    }
    return duration.toString();
  }
}

package io.batchwise.cache.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses durations as configuration does: ISO-8601 or a number with a unit (ms, s, m, h, d). */
final class Durations {
  private Durations() {}

  /**
   * Parses a positive duration.
   *
   * @param text e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}, {@code PT1H}
   * @param where how the error names the setting
   * @return the duration
   * @throws IllegalArgumentException naming {@code where} and the value
   */
  static Duration parse(String text, String where) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
      } else if (!t.isEmpty()) {
        long n = Long.parseLong(t.substring(0, t.length() - 1).strip());
        switch (t.charAt(t.length() - 1)) {
          case 's':
            d = Duration.ofSeconds(n);
            break;
          case 'm':
            d = Duration.ofMinutes(n);
            break;
          case 'h':
            d = Duration.ofHours(n);
            break;
          case 'd':
            d = Duration.ofDays(n);
            break;
          default:
            throw new NumberFormatException(text);
        }
      } else {
        throw new NumberFormatException(text);
      }
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          where + " must be a duration such as 250ms, 30s, 5m, 12h, 7d or PT12H, was '" + text + "'");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(where + " must be positive, was '" + text + "'");
    }
    return d;
  }
}

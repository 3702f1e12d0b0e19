package io.batchwise.providers.openai.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;

/**
 * The server's hint of when to retry: {@code retry-after-ms} (milliseconds, OpenAI's precise form)
 * first, else {@code Retry-After} as seconds or as an HTTP date (RFC 9110), measured from the
 * response's {@code Date} header when it has one, so clock skew between client and server cancels out.
 */
final class RetryAfter {
  private RetryAfter() {}

  /**
   * The hint in {@code headers}.
   *
   * @param headers the response headers
   * @param now the local time, used when the response has no {@code Date}
   * @return the wait (never negative), or null when there is no usable hint
   */
  static Duration from(Headers headers, Instant now) {
    Duration ms = parseMillis(headers.get("retry-after-ms"));
    if (ms != null) {
      return ms;
    }
    String value = headers.get("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    Duration seconds = parseSeconds(value.strip());
    if (seconds != null) {
      return seconds;
    }
    Instant at = parseDate(value.strip());
    if (at == null) {
      return null;
    }
    Instant reference = parseDate(headers.get("Date"));
    Duration d = Duration.between(reference != null ? reference : now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Duration parseMillis(String v) {
    if (v == null) {
      return null;
    }
    try {
      double ms = Double.parseDouble(v.strip());
      return ms >= 0 && Double.isFinite(ms) ? Duration.ofNanos((long) (ms * 1_000_000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration parseSeconds(String v) {
    try {
      double s = Double.parseDouble(v);
      return s >= 0 && Double.isFinite(s) ? Duration.ofNanos((long) (s * 1_000_000_000L)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant parseDate(String v) {
    if (v == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

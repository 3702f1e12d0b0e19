package io.batchwise.providers.openai.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * The server's hint of when to retry, read as the OpenAI SDKs read it: {@code retry-after-ms}
 * (milliseconds, OpenAI's precise form) first, else {@code Retry-After} as seconds or as an HTTP
 * date (RFC 9110), measured from the response's {@code Date} header when it has one, so clock skew
 * between client and server cancels out.
 *
 * <p>Reading never throws: a value that is not a plain non-negative number or an HTTP date is no
 * hint. Whether a hint is honoured is {@link io.batchwise.spi.CallFailedException}'s rule (longer
 * than zero, at most a minute); this class only reads what the server said, however large.
 */
final class RetryAfter {
  /**
   * A plain non-negative decimal, as {@code Retry-After}'s delay-seconds and OpenAI's fractional
   * forms: no sign, no exponent, no {@code NaN}, no hexadecimal, nothing {@link Double#parseDouble}
   * would accept beyond that. Bounded in length so that reading it costs nothing.
   */
  private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d{1,30}(?:\\.\\d{1,30})?");

  private RetryAfter() {}

  /**
   * The hint in {@code headers}.
   *
   * @param headers the response headers
   * @param now the local time, used when the response has no {@code Date}
   * @return the wait (never negative; may be far longer than any wait that is honoured), or null
   *     when there is no readable hint
   */
  static Duration from(Headers headers, Instant now) {
    Duration ms = number(headers.get("retry-after-ms"), 1e6);
    if (ms != null) {
      return ms;
    }
    String value = headers.get("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    Duration seconds = seconds(value);
    if (seconds != null) {
      return seconds;
    }
    Instant at = parseDate(value);
    if (at == null) {
      return null;
    }
    Instant reference = parseDate(headers.get("Date"));
    Duration d = Duration.between(reference != null ? reference : now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * A plain number of seconds, such as {@code 7} or {@code 0.5}.
   *
   * @param value the text, or null
   * @return the duration (saturated at the largest a {@code long} of nanoseconds holds), or null
   *     when the text is not a plain non-negative number
   */
  static Duration seconds(String value) {
    return number(value, 1e9);
  }

  private static Duration number(String value, double nanosPerUnit) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (!PLAIN_NUMBER.matcher(v).matches()) {
      return null;
    }
    // a double is exact enough for a wait, and a cast saturates instead of overflowing
    return Duration.ofNanos((long) (Double.parseDouble(v) * nanosPerUnit));
  }

  private static Instant parseDate(String v) {
    if (v == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null; // not a date, or one java.time cannot represent
    }
  }
}

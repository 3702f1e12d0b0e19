package io.batchwise.providers.openai.internal;

import io.batchwise.providers.openai.RateLimitSnapshot;
import io.batchwise.providers.openai.RateLimitState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RateLimitState} the provider keeps: the configured limits plus the latest {@code
 * x-ratelimit-*} headers. Thread-safe: the latest snapshot is one atomic reference.
 */
final class HeaderRateLimitState implements RateLimitState {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderRateLimitState.class);

  /**
   * One term of a Go-style duration as OpenAI sends resets: {@code 6m0s}, {@code 20ms}, {@code
   * 1.5s}.
   */
  private static final Pattern DURATION_TERM =
      Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?)(ns|us|µs|ms|h|m|s)");

  private final int configuredRpm;
  private final long configuredTpm;
  private final LongSupplier nanoTime;
  private final AtomicReference<RateLimitSnapshot> latest = new AtomicReference<>();
  private final List<Consumer<RateLimitSnapshot>> listeners = new CopyOnWriteArrayList<>();

  HeaderRateLimitState(int configuredRpm, long configuredTpm, LongSupplier nanoTime) {
    this.configuredRpm = configuredRpm;
    this.configuredTpm = configuredTpm;
    this.nanoTime = nanoTime;
  }

  /**
   * Records the limits a response reported; a response without any {@code x-ratelimit-*} header
   * changes nothing.
   *
   * @param headers the response headers
   */
  void record(Headers headers) {
    RateLimitSnapshot s =
        new RateLimitSnapshot(
            count(headers, "x-ratelimit-limit-requests"),
            count(headers, "x-ratelimit-remaining-requests"),
            duration(headers.get("x-ratelimit-reset-requests")),
            count(headers, "x-ratelimit-limit-tokens"),
            count(headers, "x-ratelimit-remaining-tokens"),
            duration(headers.get("x-ratelimit-reset-tokens")),
            nanoTime.getAsLong());
    if (s.isEmpty()) {
      return;
    }
    latest.set(s);
    for (Consumer<RateLimitSnapshot> listener : listeners) {
      try {
        listener.accept(s);
      } catch (RuntimeException e) {
        LOG.warn("a rate-limit listener threw; it stays registered", e);
      }
    }
  }

  @Override
  public int configuredRequestsPerMinute() {
    return configuredRpm;
  }

  @Override
  public long configuredTokensPerMinute() {
    return configuredTpm;
  }

  @Override
  public Optional<RateLimitSnapshot> latest() {
    return Optional.ofNullable(latest.get());
  }

  @Override
  public int effectiveRequestsPerMinute() {
    RateLimitSnapshot s = latest.get();
    long learned = s == null ? -1 : s.requestLimit();
    return (int) Math.min(Integer.MAX_VALUE, lowerKnown(configuredRpm, learned));
  }

  @Override
  public long effectiveTokensPerMinute() {
    RateLimitSnapshot s = latest.get();
    return lowerKnown(configuredTpm, s == null ? -1 : s.tokenLimit());
  }

  private static long lowerKnown(long configured, long learned) {
    if (configured > 0 && learned > 0) {
      return Math.min(configured, learned);
    }
    return configured > 0 ? configured : Math.max(0, learned);
  }

  @Override
  public Duration reserve(long tokens) {
    RateLimitSnapshot s = latest.get();
    return s == null ? Duration.ZERO : s.delayBefore(tokens, nanoTime.getAsLong());
  }

  @Override
  public AutoCloseable addListener(Consumer<RateLimitSnapshot> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private static long count(Headers headers, String name) {
    String v = headers.get(name);
    if (v == null) {
      return -1;
    }
    try {
      return Math.max(-1, Long.parseLong(v.strip()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Parses a reset duration: Go style ({@code 1h2m3.5s}, {@code 6m0s}, {@code 20ms}) or a plain
   * number of seconds. Never throws; a huge value saturates (the pacer ignores any reset longer
   * than {@link io.batchwise.spi.CallFailedException#MAX_RETRY_AFTER}, see {@link
   * RateLimitSnapshot#delayBefore(long, long)}).
   *
   * @param v the header value, or null
   * @return the duration, or null when absent or unreadable
   */
  static Duration duration(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String t = v.strip();
    Duration plain = RetryAfter.seconds(t);
    if (plain != null) {
      return plain;
    }
    Matcher m = DURATION_TERM.matcher(t);
    double nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double n = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "h":
          nanos += n * 3_600e9;
          break;
        case "m":
          nanos += n * 60e9;
          break;
        case "s":
          nanos += n * 1e9;
          break;
        case "ms":
          nanos += n * 1e6;
          break;
        case "us":
        case "µs":
          nanos += n * 1e3;
          break;
        default:
          nanos += n;
      }
    }
    return end == t.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
  }

  @Override
  public String toString() {
    return "RateLimitState{configuredRpm="
        + configuredRpm
        + ", configuredTpm="
        + configuredTpm
        + ", latest="
        + latest.get()
        + "}";
  }
}

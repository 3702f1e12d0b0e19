package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.spi.CallFailedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Turns a failed embeddings call into a {@link CallFailedException} the scheduler can act on.
 *
 * <p>Retryable: connection failures and timeouts, and HTTP 408, 409, 429 and 5xx, carrying the
 * server's {@code retry-after-ms}/{@code Retry-After} hint; a 429 is also marked rate limited. Not
 * retryable: 400, 401, 403, 404, 422, every other status, and a 429 whose error code is {@code
 * insufficient_quota} (no retry brings money back). A response's {@code x-should-retry} header
 * decides before any of that, as the OpenAI SDKs let it: {@code true} retries even a status that is
 * normally final, {@code false} makes even a 5xx or 429 final. Messages carry the HTTP status, the
 * API's error type, code and message, the {@code x-request-id}, and for a 400 the input the server
 * blames; never the key. Thread-safe.
 */
final class FailureClassifier {
  /** Where a server names an input: {@code input[3]}, {@code $.input[3]}, {@code 'input'[3]}. */
  private static final Pattern INPUT_BRACKET =
      Pattern.compile("input'?\\]?\\s*\\[\\s*(\\d+)\\s*\\]");

  /** {@code index 3}, {@code index: 3}, {@code input 3}, {@code input at index 3}. */
  private static final Pattern INPUT_WORDS =
      Pattern.compile(
          "\\b(?:input(?:\\s+at)?(?:\\s+index)?|index)\\s*[:=#]?\\s*(\\d+)\\b",
          Pattern.CASE_INSENSITIVE);

  /** Response headers that identify a request to the API's support. */
  private static final String[] REQUEST_ID_HEADERS = {
    "x-request-id", "apim-request-id", "x-ms-request-id"
  };

  private final String target;
  private final ObjectMapper mapper;
  private final SecretScrubber scrubber;
  private final Clock clock;

  /**
   * @param target what the messages say was called, e.g. {@code POST
   *     https://api.openai.com/v1/embeddings}
   * @param mapper reads error bodies
   * @param scrubber removes keys from server text
   * @param clock for {@code Retry-After} dates
   */
  FailureClassifier(String target, ObjectMapper mapper, SecretScrubber scrubber, Clock clock) {
    this.target = target;
    this.mapper = mapper;
    this.scrubber = scrubber;
    this.clock = clock;
  }

  /**
   * Classifies a non-2xx response.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the body text, bounded in size, possibly empty
   * @param inputs how many inputs the call carried
   * @return the classified failure
   */
  CallFailedException forStatus(int status, Headers headers, String body, int inputs) {
    ApiError error = ApiError.parse(mapper, body);
    StringBuilder m = new StringBuilder();
    m.append(target)
        .append(" with ")
        .append(inputs)
        .append(inputs == 1 ? " input" : " inputs")
        .append(" failed: HTTP ")
        .append(status);
    appendError(m, error);
    if (status == 400 || status == 422) {
      inputIndex(error, inputs)
          .ifPresent(i -> m.append("; the server names input ").append(i).append(" of this call"));
    }
    if (status >= 300 && status < 400 && headers.get("Location") != null) {
      m.append("; it redirects to ")
          .append(Endpoint.describe(headers.get("Location")))
          .append(" (set openai.base-url to the final URL)");
    }
    appendRequestId(m, headers);

    Boolean serverSays = shouldRetry(headers);
    if (Boolean.FALSE.equals(serverSays)) {
      m.append(". The server says not to retry it (x-should-retry: false)");
      return CallFailedException.permanent(m.toString(), null);
    }
    if (Boolean.TRUE.equals(serverSays)) {
      if (!isRetryableStatus(status)) {
        m.append("; retryable because the server says so (x-should-retry: true)");
      }
      return new CallFailedException(
          m.toString(), null, true, RetryAfter.from(headers, clock.instant()), status == 429);
    }
    boolean quota = status == 429 && "insufficient_quota".equals(error.code());
    if (quota) {
      m.append(". The account's quota is used up; retrying cannot help (check plan and billing)");
      return CallFailedException.permanent(m.toString(), null);
    }
    if (isRetryableStatus(status)) {
      Duration retryAfter = RetryAfter.from(headers, clock.instant());
      return new CallFailedException(m.toString(), null, true, retryAfter, status == 429);
    }
    return CallFailedException.permanent(m.toString(), null);
  }

  /**
   * Classifies a failure to connect, send or receive: always retryable, the call may succeed on
   * another connection.
   *
   * @param e the I/O failure
   * @param inputs how many inputs the call carried
   * @param timeouts the connect, read and call timeouts, for the message
   * @return the classified failure
   */
  CallFailedException forIo(IOException e, int inputs, String timeouts) {
    String what;
    if (e instanceof SocketTimeoutException) {
      what = "timed out waiting for the server (" + timeouts + ")";
    } else if (e instanceof InterruptedIOException
        && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
      what = "took longer than the call timeout (" + timeouts + ")";
    } else {
      what =
          "failed to connect, send or receive: "
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? ": " + scrubber.scrub(e.getMessage()) : "");
    }
    return CallFailedException.retryable(
        target + " with " + inputs + (inputs == 1 ? " input " : " inputs ") + what, e, null);
  }

  /**
   * Classifies what nothing else expected: an {@link Error} such as {@link OutOfMemoryError} while
   * an answer was decoded, or a bug. Not retryable: the same answer would fail the same way, and
   * the call must end now rather than at its timeout.
   *
   * @param what what the call did, e.g. {@code failed while its answer was read}
   * @param inputs how many inputs the call carried
   * @param t what was thrown
   * @return the classified failure, with {@code t} as its cause
   */
  CallFailedException forUnexpected(String what, int inputs, Throwable t) {
    return CallFailedException.permanent(
        target
            + " with "
            + inputs
            + (inputs == 1 ? " input " : " inputs ")
            + what
            + ": "
            + t.getClass().getName()
            + (t.getMessage() != null ? ": " + scrubber.scrub(t.getMessage()) : ""),
        t);
  }

  /**
   * Classifies a 2xx response whose body did not fit the request.
   *
   * @param e what was wrong
   * @param inputs how many inputs the call carried
   * @param headers the response headers, for the request id
   * @return the classified failure
   */
  CallFailedException forInvalidResponse(InvalidResponseException e, int inputs, Headers headers) {
    StringBuilder m = new StringBuilder();
    m.append(target)
        .append(" with ")
        .append(inputs)
        .append(inputs == 1 ? " input" : " inputs")
        .append(" returned an unusable response: ")
        .append(scrubber.scrub(e.getMessage()));
    appendRequestId(m, headers);
    // no cause: the parser's exceptions quote the server's text unscrubbed; the message says it all
    return e.retryable()
        ? CallFailedException.retryable(m.toString(), null, null)
        : CallFailedException.permanent(m.toString(), null);
  }

  /**
   * Server text with every key and key-like token masked, for messages built elsewhere.
   *
   * @param text server text, or null
   * @return the scrubbed text, or null
   */
  String scrub(String text) {
    return scrubber.scrub(text);
  }

  /**
   * The server's own word on retrying, {@code x-should-retry: true|false} (OpenAI's header, which
   * its SDKs obey before looking at the status).
   *
   * @param headers the response headers
   * @return true or false as the server said, or null when it said nothing readable
   */
  static Boolean shouldRetry(Headers headers) {
    String v = headers.get("x-should-retry");
    if (v == null) {
      return null;
    }
    String t = v.strip();
    if (t.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    return t.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }

  /** Whether a status may succeed if the same request is sent again. */
  static boolean isRetryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /**
   * Whether a 4xx says the server does not accept {@code encoding_format=base64}.
   *
   * @param status the HTTP status
   * @param body the body text
   * @return true when the error names the encoding format
   */
  boolean rejectsBase64(int status, String body) {
    if (status != 400 && status != 422) {
      return false;
    }
    ApiError error = ApiError.parse(mapper, body);
    String all =
        (error.message() + " " + error.param() + " " + error.code()).toLowerCase(Locale.ROOT);
    return all.contains("encoding_format") || all.contains("base64");
  }

  private void appendError(StringBuilder m, ApiError error) {
    if (error.type() != null || error.code() != null) {
      m.append(" (");
      if (error.type() != null) {
        m.append("type=").append(scrubber.scrub(error.type()));
      }
      if (error.code() != null) {
        m.append(error.type() != null ? ", " : "")
            .append("code=")
            .append(scrubber.scrub(error.code()));
      }
      m.append(')');
    }
    if (error.message() != null) {
      m.append(": ").append(scrubber.scrub(error.message()));
    }
    if (error.param() != null) {
      m.append(" [param=").append(scrubber.scrub(error.param())).append(']');
    }
  }

  private static void appendRequestId(StringBuilder m, Headers headers) {
    for (String name : REQUEST_ID_HEADERS) {
      String id = headers.get(name);
      if (id != null) {
        m.append(" [").append(name).append('=').append(id).append(']');
        return;
      }
    }
  }

  /**
   * The input a 400 blames, from its {@code param} or message.
   *
   * @param error the parsed error
   * @param inputs the call's input count: indexes outside it are not about an input
   * @return the index, or empty
   */
  static OptionalInt inputIndex(ApiError error, int inputs) {
    for (String text : new String[] {error.param(), error.message()}) {
      if (text == null) {
        continue;
      }
      for (Pattern p : new Pattern[] {INPUT_BRACKET, INPUT_WORDS}) {
        Matcher matcher = p.matcher(text);
        while (matcher.find()) {
          try {
            int i = Integer.parseInt(matcher.group(1));
            if (i < inputs) {
              return OptionalInt.of(i);
            }
          } catch (NumberFormatException e) {
            // a number too large to be an index: keep looking
          }
        }
      }
    }
    return OptionalInt.empty();
  }
}

package io.batchwise.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import okhttp3.Headers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces of failure classification that need no server: error bodies, input indexes, hints. */
class FailureClassifierTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'$.input[3]' is invalid.|3",
        "input[12] is too long|12",
        "Invalid 'input'[4]: string too long|4",
        "Input at index 7 is empty|7",
        "index: 5 exceeds|5",
        "This model's maximum context length is 8192 tokens|-1",
        "input[99] is invalid|-1",
      })
  @DisplayName("finds the input a message names, within the call's inputs")
  void findsInputIndex(String message, int expected) {
    OptionalInt found = FailureClassifier.inputIndex(new ApiError(message, null, null, null), 20);
    assertThat(found.isPresent() ? found.getAsInt() : -1).isEqualTo(expected);
  }

  @Test
  @DisplayName("reads the input from the error's param when the message does not name it")
  void findsInputIndexInParam() {
    assertThat(FailureClassifier.inputIndex(new ApiError("too long", null, null, "input[2]"), 5))
        .hasValue(2);
  }

  @Test
  @DisplayName(
      "understands the error shapes of OpenAI, vLLM, text-embeddings-inference and FastAPI")
  void parsesErrorShapes() {
    assertThat(
            ApiError.parse(
                MAPPER,
                "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":\"c\",\"param\":\"p\"}}"))
        .isEqualTo(new ApiError("m", "t", "c", "p"));
    assertThat(
            ApiError.parse(
                MAPPER,
                "{\"object\":\"error\",\"message\":\"m\",\"type\":\"BadRequestError\",\"code\":400}"))
        .isEqualTo(new ApiError("m", "BadRequestError", "400", null));
    assertThat(
            ApiError.parse(
                MAPPER, "{\"error\":\"Input validation error\",\"error_type\":\"Validation\"}"))
        .isEqualTo(new ApiError("Input validation error", "Validation", null, null));
    assertThat(ApiError.parse(MAPPER, "{\"detail\":\"Not Found\"}").message())
        .isEqualTo("Not Found");
    assertThat(ApiError.parse(MAPPER, "upstream connect error").message())
        .isEqualTo("upstream connect error");
    assertThat(ApiError.parse(MAPPER, "")).isEqualTo(ApiError.NONE);
  }

  @Test
  @DisplayName("reads retry hints: retry-after-ms, seconds, dates; ignores nonsense")
  void parsesRetryAfter() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    assertThat(RetryAfter.from(Headers.of("retry-after-ms", "250.5"), now))
        .isEqualTo(Duration.ofNanos(250_500_000));
    assertThat(RetryAfter.from(Headers.of("Retry-After", "3"), now))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryAfter.from(Headers.of("Retry-After", "Tue, 01 Jan 2030 00:00:20 GMT"), now))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(RetryAfter.from(Headers.of("Retry-After", "Mon, 31 Dec 2029 23:59:00 GMT"), now))
        .isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.from(Headers.of("Retry-After", "later"), now)).isNull();
    assertThat(RetryAfter.from(Headers.of(), now)).isNull();
  }

  @Test
  @DisplayName("removes the configured key and key-shaped tokens from server text")
  void scrubsKeys() {
    SecretScrubber scrubber = new SecretScrubber(new ApiKey("azure0123456789abcdef"));
    assertThat(scrubber.scrub("key azure0123456789abcdef rejected")).isEqualTo("key **** rejected");
    assertThat(scrubber.scrub("Incorrect API key provided: sk-proj-abc1********wxyz."))
        .isEqualTo("Incorrect API key provided: sk-****");
  }
}

package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile 200 answers cost bounded memory, in a forked JVM with a 256 MB heap ({@link
 * HostileAnswerMain}): bodies that inflate past 2 GB (endless numbers, whitespace, items, one
 * endless base64 string) fail the call as soon as a bound is crossed, naming it; a well-formed
 * answer too large for the heap fails the call with the {@link OutOfMemoryError} instead of leaving
 * it to a timeout; and the JVM goes on.
 */
class HostileAnswerMemoryTest {

  @Test
  @DisplayName(
      "answers that inflate past 2 GB fail fast naming the bound, an OutOfMemoryError fails its call, at -Xmx256m")
  void hostileAnswersInASmallHeap() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HostileAnswerMain.class.getName()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    Map<String, String> cases =
        out.lines()
            .filter(l -> l.startsWith("case="))
            .collect(Collectors.toMap(l -> l.substring(5, l.indexOf(' ')), Function.identity()));
    assertThat(cases)
        .as(out)
        .containsOnlyKeys("numbers", "spaces", "items", "string", "heap", "ok");
    long bodyLimit =
        1_048_576 + 1L * (4096 + 8 * 64); // the documented bound for 1 input of 8 dimensions
    assertThat(cases.get("numbers"))
        .as(out)
        .contains("outcome=FAILED retryable=false")
        .contains("data[0].embedding has more than the 8 numbers expected");
    assertThat(cases.get("spaces"))
        .as(out)
        .contains("outcome=FAILED retryable=false")
        .contains(
            "the response body is larger than "
                + bodyLimit
                + " bytes, the most an answer of 1 vector of 8 dimensions may take");
    assertThat(cases.get("items"))
        .as(out)
        .contains("outcome=FAILED retryable=false")
        .contains("the server returned more than 1 vectors for 1 input");
    assertThat(cases.get("string"))
        .as(out)
        .contains("outcome=FAILED retryable=false")
        .contains("past a limit of this client")
        .contains("String value length")
        .contains("65536");
    assertThat(cases.get("heap"))
        .as(out)
        .contains("outcome=FAILED retryable=false")
        .contains("failed while its answer was read: java.lang.OutOfMemoryError");
    assertThat(cases.get("ok")).as(out).contains("outcome=SUCCEEDED vectors=1");
    assertThat(out).contains("alive");
  }
}

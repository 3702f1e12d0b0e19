package io.batchwise.examples.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.Examples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The integration examples are found by the command line's {@code batchwise example NAME} and
 * answer every demo question with its paragraph in the top 3, through LangChain4j's and Spring AI's
 * classes.
 */
class IntegrationExamplesTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String name) throws Exception {
    ExampleApp app = Examples.named(name).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        app.run(
            List.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Each paragraph is stored once, so no question's hits name one twice. */
  private static void assertHitsAreDistinct(String out) {
    List<String> hitLines = out.lines().filter(l -> l.startsWith("    -> ")).toList();
    assertThat(hitLines)
        .hasSize(10)
        .allSatisfy(
            line ->
                assertThat(List.of(line.substring("    -> ".length()).split(", ")))
                    .hasSize(3)
                    .doesNotHaveDuplicates());
  }

  @Test
  @DisplayName("the command line lists the integration examples after its own")
  void foundByTheCommandLine() {
    assertThat(Examples.all())
        .extracting(ExampleApp::name)
        .containsExactly(
            "quickstart",
            "semantic-search",
            "agent-batch",
            "custom-provider",
            "classify",
            "langchain4j",
            "spring-ai");
  }

  @Test
  @DisplayName(
      "langchain4j: LangChain4j's ingestor and retriever answer every question; the second ingest sends nothing")
  void langchain4j() throws Exception {
    Run r = run("langchain4j");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("10 of 10 questions have their paragraph in the top 3");
    assertHitsAreDistinct(r.out());
    assertThat(r.err())
        .containsPattern(
            "ingested 270 paragraphs with all-minilm-l6-v2: [1-9][0-9]* tokens sent;"
                + " ingested again: 0 tokens sent");
  }

  @Test
  @DisplayName("spring-ai: SimpleVectorStore's similarity search answers every question")
  void springAi() throws Exception {
    Run r = run("spring-ai");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("10 of 10 questions have their paragraph in the top 3");
    assertHitsAreDistinct(r.out());
    assertThat(r.err())
        .contains("embedded 270 paragraphs of 384 dimensions in one call to the model");
  }
}

package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.examples.demo.Demo;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The main job with the real local model (all-MiniLM-L6-v2 through ONNX Runtime): each demo
 * question finds the paragraph that answers it in the top 3.
 */
class DemoTest {
  private static Batchwise bw;
  private static Demo.Indexed indexed;

  /** Far longer than embedding the demo's corpus takes on a busy machine. */
  private static final String CALL_TIMEOUT = "10m";

  @BeforeAll
  static void indexTheCorpus() {
    // the corpus is 270 paragraphs: a call timeout no busy machine reaches, as this is not about
    // timeouts
    bw =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("local")
            .option("call-timeout", CALL_TIMEOUT)
            .build();
    indexed = Demo.index(bw.embedder());
  }

  @AfterAll
  static void close() {
    bw.close();
  }

  static List<Demo.Query> queries() {
    return Demo.QUERIES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  @DisplayName("each question finds its answering paragraph in the top 3")
  void answerInTopThree(Demo.Query query) {
    List<String> top =
        indexed.index().search(query.text(), Demo.TOP_K, bw.embedder()).stream()
            .map(h -> h.id())
            .toList();
    assertThat(top).as(query.text()).contains(query.expectedId());
  }

  @Test
  @DisplayName("the whole corpus embedded with the local model, in one call, nothing failed")
  void corpusIndexed() {
    assertThat(indexed.result().allSucceeded()).isTrue();
    assertThat(indexed.index().size()).isEqualTo(270);
    assertThat(indexed.index().dimensions()).isEqualTo(384);
    assertThat(indexed.index().identity().orElseThrow())
        .extracting(i -> i.provider(), i -> i.model())
        .containsExactly("local", "all-minilm-l6-v2");
  }

  @Test
  @DisplayName(
      "batchwise embed with the default (local) provider writes the model's vectors in input order")
  void embedWithTheLocalModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path in = dir.resolve("in.txt");
    List<String> texts =
        List.of(
            "The cat sat on the mat.", "Stock markets fell sharply.", "The cat sat on the mat.");
    java.nio.file.Files.write(in, texts);
    java.nio.file.Path out = dir.resolve("out.npy");
    CliRunner.Result r =
        CliRunner.run("embed", "--in", in.toString(), "--out", out.toString(), "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    List<float[]> rows = VectorFiles.npy(out);
    List<float[]> expected = bw.embedder().embedAll(texts).vectors();
    assertThat(rows).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(rows.get(i)).hasSize(384);
      assertThat(
              io.batchwise.testkit.EmbeddingProviderContract.cosine(rows.get(i), expected.get(i)))
          .isGreaterThan(0.9999);
    }
  }

  @Test
  @DisplayName("tokens counts with the local model's own tokenizer by its model name")
  void tokensWithTheLocalTokenizer() {
    String text = "Tokenizers count what models see, not what people read.";
    CliRunner.Result r =
        CliRunner.runWithStdin(text, "tokens", "--tokenizer", "all-minilm-l6-v2", "-");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Integer.parseInt(r.out().strip())).isEqualTo(bw.provider().tokenizer().count(text));
  }

  @Test
  @DisplayName("batchwise demo prints every question with its answer marked, and the report")
  void demoCommand() {
    CliRunner.Result r = CliRunner.run("demo", "-o", "call-timeout=" + CALL_TIMEOUT);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Indexing 270 paragraphs on 18 topics with local/all-minilm-l6-v2")
        .contains("10 of 10 questions found their answer in the top 3.");
    assertThat(r.out().split("<- the answer", -1)).hasSize(11);
    assertThat(r.err())
        .contains("batchwise report (local/all-minilm-l6-v2)")
        .contains("inputs          270")
        .as("the report is of the indexing: the questions embedded after it are not counted")
        .contains("unique inputs   270");
  }
}

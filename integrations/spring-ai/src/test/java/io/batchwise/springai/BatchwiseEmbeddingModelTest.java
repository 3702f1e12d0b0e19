package io.batchwise.springai;

import static io.batchwise.testkit.EmbeddingProviderContract.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.Batchwise;
import io.batchwise.EmbedFailedException;
import io.batchwise.Usage;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.LimitPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

/**
 * Batchwise as Spring AI's {@code EmbeddingModel}, driven by Spring AI's {@code SimpleVectorStore}
 * with Batchwise's local all-MiniLM-L6-v2 model behind it.
 */
class BatchwiseEmbeddingModelTest {
  private static final List<Document> DOCUMENTS =
      List.of(
          new Document(
              "volcano",
              "Magma rises through the crust and erupts from a volcano as lava and ash.",
              Map.of()),
          new Document(
              "bees",
              "Honeybees tell each other where flowers are with the waggle dance.",
              Map.of()),
          new Document(
              "bread",
              "Bread dough rises because yeast turns sugar into carbon dioxide gas.",
              Map.of()),
          new Document(
              "tides",
              "The Moon's gravity pulls the oceans into bulges, which causes two high tides a day.",
              Map.of()),
          new Document(
              "leaves",
              "Chlorophyll in leaves captures sunlight to turn water and carbon dioxide into sugar.",
              Map.of()),
          new Document(
              "espresso",
              "An espresso machine pushes hot water through finely ground coffee at nine bars.",
              Map.of()),
          new Document(
              "glacier",
              "Snow that survives many summers is compressed into ice and flows downhill as a glacier.",
              Map.of()),
          new Document(
              "vaccine",
              "Vaccines stay effective only when kept cold, between two and eight degrees Celsius.",
              Map.of()),
          new Document(
              "passwords",
              "Websites should store passwords as slow salted hashes such as bcrypt or Argon2.",
              Map.of()),
          new Document(
              "whales",
              "Baleen whales filter krill from seawater through plates of baleen instead of teeth.",
              Map.of()),
          new Document(
              "chess",
              "In the chess endgame the king becomes an active piece and marches to the centre.",
              Map.of()),
          new Document(
              "tea",
              "Green tea is steeped in water below boiling, at seventy to eighty degrees Celsius.",
              Map.of()));

  private static Batchwise batchwise;
  private static BatchwiseEmbeddingModel model;
  private static SimpleVectorStore store;

  @BeforeAll
  static void addDocuments() {
    batchwise =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("local")
            .cache("caffeine")
            .limitPolicy(LimitPolicy.FAIL)
            .build();
    model = new BatchwiseEmbeddingModel(batchwise.embedder());
    store = SimpleVectorStore.builder(model).build();
    store.add(DOCUMENTS);
  }

  @AfterAll
  static void close() {
    batchwise.close();
  }

  private static double calls() {
    return batchwise.meterRegistry().find(MeterNames.EMBED_CALLS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @ParameterizedTest(name = "\"{0}\" finds {1} first")
  @CsvSource(
      delimiter = '|',
      value = {
        "How do honeybees communicate where flowers are? | bees",
        "Why does dough get bigger before baking?        | bread",
        "What makes the sea rise and fall?               | tides",
        "At what temperature must vaccines be stored?    | vaccine",
        "How should a website keep user passwords safe?  | passwords",
        "What do blue whales eat?                        | whales",
      })
  @DisplayName("SimpleVectorStore's similarity search ranks the expected document first")
  void similaritySearchRanksTheExpectedDocumentFirst(String question, String id) {
    List<Document> hits =
        store.similaritySearch(SearchRequest.builder().query(question).topK(3).build());
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).getId()).isEqualTo(id);
  }

  @Test
  @DisplayName(
      "adding the same documents again is answered by the Batchwise cache: no provider call")
  void addingAgainIsServedFromTheCache() {
    SimpleVectorStore again = SimpleVectorStore.builder(model).build();
    double before = calls();
    again.add(DOCUMENTS.stream().map(d -> new Document(d.getId(), d.getText(), Map.of())).toList());
    assertThat(calls() - before).isZero();
  }

  @Test
  @DisplayName("call() returns results in order with their index, the model's name and the usage")
  void callReturnsResultsModelAndUsage() {
    List<String> texts = List.of("a first text to embed", "a second text", "a first text to embed");
    EmbeddingResponse response =
        model.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().build()));
    assertThat(response.getResults()).hasSize(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
      assertThat(cosine(response.getResults().get(i).getOutput(), model.embed(texts.get(i))))
          .isCloseTo(1.0, within(1e-6));
    }
    assertThat(response.getMetadata().getModel()).isEqualTo("all-minilm-l6-v2");
    Usage usage = (Usage) response.getMetadata().getUsage().getNativeUsage();
    assertThat(usage.inputs()).isEqualTo(3);
    assertThat(usage.uniqueInputs()).isEqualTo(2);
    assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo((int) usage.tokens());
  }

  @Test
  @DisplayName("dimensions() comes from the model info, without a provider call")
  void dimensionsCallNothing() {
    double before = calls();
    assertThat(model.dimensions()).isEqualTo(384);
    assertThat(calls() - before).isZero();
  }

  @Test
  @DisplayName(
      "options that name this model pass; another model or other dimensions fail, naming both")
  void optionsAreChecked() {
    List<String> one = List.of("text");
    assertThat(
            model
                .call(
                    new EmbeddingRequest(
                        one,
                        EmbeddingOptions.builder()
                            .model("all-minilm-l6-v2")
                            .dimensions(384)
                            .build()))
                .getResults())
        .hasSize(1);
    assertThat(model.call(new EmbeddingRequest(one, null)).getResults()).hasSize(1);
    assertThatThrownBy(
            () ->
                model.call(
                    new EmbeddingRequest(
                        one, EmbeddingOptions.builder().model("text-embedding-3-small").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text-embedding-3-small")
        .hasMessageContaining("all-minilm-l6-v2");
    assertThatThrownBy(
            () ->
                model.call(
                    new EmbeddingRequest(one, EmbeddingOptions.builder().dimensions(1536).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1536")
        .hasMessageContaining("384");
  }

  @Test
  @DisplayName(
      "all or nothing: one exception names each failed index and its reason; the inputs that succeeded are cached")
  void failedInputsAreNamedAndTheRestCached() {
    String ok1 = "Lichens are a partnership of a fungus and an alga.";
    String ok2 = "A metronome keeps a steady tempo for musicians.";
    List<String> texts = Arrays.asList(ok1, null, ok2, "word ".repeat(600));
    assertThatThrownBy(() -> model.embed(texts))
        .isInstanceOfSatisfying(
            EmbedFailedException.class,
            e -> {
              assertThat(e).hasMessageContaining("2 of 4 inputs failed (indexes 1, 3)");
              assertThat(e.failures().get(0).error()).hasMessageContaining("input 1 is null");
              assertThat(e.failures().get(1).error())
                  .hasMessageContaining("input 3")
                  .hasMessageContaining("256");
            });
    assertThatThrownBy(() -> model.embed(new Document("   ")))
        .isInstanceOf(EmbedFailedException.class)
        .hasMessageContaining("indexes 0");

    double before = calls();
    assertThat(model.embed(List.of(ok1, ok2))).hasSize(2);
    assertThat(calls() - before).isZero();
  }
}

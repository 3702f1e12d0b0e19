package io.batchwise.langchain4j;

import static io.batchwise.testkit.EmbeddingProviderContract.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.IngestionResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.batchwise.Batchwise;
import io.batchwise.EmbedFailedException;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.LimitPolicy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batchwise as LangChain4j's {@code EmbeddingModel}, driven by LangChain4j's own classes: 24
 * documents loaded by its {@code FileSystemDocumentLoader}, split by its recursive splitter,
 * embedded by its {@code EmbeddingStoreIngestor} into an {@code InMemoryEmbeddingStore} through
 * Batchwise's local all-MiniLM-L6-v2 model, and searched by its {@code
 * EmbeddingStoreContentRetriever}.
 */
class BatchwiseEmbeddingModelTest {
  private static final DocumentSplitter SPLITTER = DocumentSplitters.recursive(350, 0);

  private static Batchwise batchwise;
  private static BatchwiseEmbeddingModel model;
  private static List<Document> documents;
  private static InMemoryEmbeddingStore<TextSegment> store;
  private static IngestionResult ingestion;
  private static double callsForIngestion;

  @BeforeAll
  static void ingest() throws URISyntaxException {
    batchwise =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("local")
            .cache("caffeine")
            .limitPolicy(LimitPolicy.FAIL)
            .build();
    model = new BatchwiseEmbeddingModel(batchwise.embedder());
    documents =
        FileSystemDocumentLoader.loadDocuments(
            Path.of(BatchwiseEmbeddingModelTest.class.getResource("/corpus").toURI()),
            new TextDocumentParser());
    store = new InMemoryEmbeddingStore<>();
    double before = calls();
    ingestion = ingestor(store).ingest(documents);
    callsForIngestion = calls() - before;
  }

  @AfterAll
  static void close() {
    batchwise.close();
  }

  private static EmbeddingStoreIngestor ingestor(InMemoryEmbeddingStore<TextSegment> into) {
    return EmbeddingStoreIngestor.builder()
        .documentSplitter(SPLITTER)
        .embeddingModel(model)
        .embeddingStore(into)
        .build();
  }

  private static double calls() {
    return batchwise.meterRegistry().find(MeterNames.EMBED_CALLS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static List<TextSegment> everySegment(InMemoryEmbeddingStore<TextSegment> in) {
    return in
        .search(
            EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed("anything").content())
                .maxResults(10_000)
                .minScore(0.0)
                .build())
        .matches()
        .stream()
        .map(m -> m.embedded())
        .toList();
  }

  @Test
  @DisplayName(
      "the ingestor stores every segment the splitter made, embedded in one Batchwise embed")
  void ingestsEverySegment() {
    assertThat(documents).hasSizeGreaterThanOrEqualTo(20);
    List<TextSegment> segments = SPLITTER.splitAll(documents);
    assertThat(segments).as("the splitter cut documents").hasSizeGreaterThan(documents.size());
    assertThat(everySegment(store)).hasSameSizeAs(segments);
    assertThat(ingestion.tokenUsage().inputTokenCount()).as("tokens sent").isPositive();
    assertThat(callsForIngestion).as("provider calls").isPositive();
  }

  @ParameterizedTest(name = "\"{0}\" finds the {1} passage first")
  @CsvSource(
      delimiter = '|',
      value = {
        "How do honeybees communicate where flowers are?     | honeybees.txt      | waggle dance",
        "Why does bread dough get bigger before baking?      | bread.txt          | yeast eats the sugars",
        "What makes the sea level rise and fall twice a day? | tides.txt          | gravity of the Moon",
        "How are vaccines kept effective during transport?   | vaccines.txt       | cold chain",
        "What pressure does an espresso machine use?         | coffee.txt         | nine bars",
        "Why is there sometimes a second rainbow?            | rainbows.txt       | reflects twice",
        "How should a website store its users' passwords?    | passwords.txt      | salted hash",
        "What do blue whales eat and how do they catch it?   | whales.txt         | krill",
        "How is the size of an earthquake measured?          | earthquakes.txt    | moment magnitude",
      })
  @DisplayName("a LangChain4j retriever ranks the expected passage first")
  void retrieverRanksTheExpectedPassageFirst(String question, String file, String phrase) {
    ContentRetriever retriever =
        EmbeddingStoreContentRetriever.builder()
            .embeddingStore(store)
            .embeddingModel(model)
            .maxResults(3)
            .build();
    List<Content> found = retriever.retrieve(Query.from(question));
    TextSegment first = found.get(0).textSegment();
    assertThat(first.metadata().getString(Document.FILE_NAME))
        .as("the file of the first hit")
        .isEqualTo(file);
    assertThat(first.text()).as("the first hit").contains(phrase);
  }

  @Test
  @DisplayName(
      "a second ingest of the same documents is answered by the Batchwise cache: no token sent, no call")
  void reingestIsServedFromTheCache() {
    InMemoryEmbeddingStore<TextSegment> again = new InMemoryEmbeddingStore<>();
    double before = calls();
    IngestionResult second = ingestor(again).ingest(documents);
    assertThat(calls() - before).isZero();
    assertThat(second.tokenUsage().inputTokenCount()).isZero();
    assertThat(everySegment(again)).hasSameSizeAs(everySegment(store));
  }

  @Test
  @DisplayName(
      "a request typed QUERY, as a retriever with an input type sends it, embeds like embed(String)")
  void requestWithAnInputType() {
    String question = "How do honeybees communicate where flowers are?";
    EmbeddingResponse typed =
        model.embed(
            EmbeddingRequest.builder().input(question).inputType(EmbeddingInputType.QUERY).build());
    assertThat(typed.embeddings()).hasSize(1);
    assertThat(typed.metadata().modelName()).isEqualTo("all-minilm-l6-v2");
    assertThat(cosine(typed.embeddings().get(0).vector(), model.embed(question).content().vector()))
        .isCloseTo(1.0, within(1e-6));
    List<Content> found =
        EmbeddingStoreContentRetriever.builder()
            .embeddingStore(store)
            .embeddingModel(model)
            .embeddingInputType(EmbeddingInputType.QUERY)
            .maxResults(1)
            .build()
            .retrieve(Query.from(question));
    assertThat(found.get(0).textSegment().text()).contains("waggle dance");
  }

  @Test
  @DisplayName("per-call dimensions are refused by LangChain4j: the Batchwise model fixes them")
  void perCallDimensionsAreRefused() {
    assertThatThrownBy(
            () -> model.embed(EmbeddingRequest.builder().input("text").dimensions(128).build()))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("dimensions");
  }

  @Test
  @DisplayName("dimension() and modelName() come from the model info, without a provider call")
  void dimensionAndModelNameCallNothing() {
    double before = calls();
    assertThat(model.dimension()).isEqualTo(384);
    assertThat(model.modelName()).isEqualTo("all-minilm-l6-v2");
    assertThat(calls() - before).isZero();
  }

  @Test
  @DisplayName(
      "all or nothing: one exception names each failed index and its reason; the inputs that succeeded are cached, so the retry sends nothing")
  void failedInputsAreNamedAndTheRestCached() {
    String ok1 = "Lichens are a partnership of a fungus and an alga.";
    String ok2 = "A metronome keeps a steady tempo for musicians.";
    List<TextSegment> segments =
        List.of(
            TextSegment.from(ok1),
            TextSegment.from("word ".repeat(600)),
            TextSegment.from(ok2),
            TextSegment.from("another ".repeat(700)));

    assertThatThrownBy(() -> model.embedAll(segments))
        .isInstanceOfSatisfying(
            EmbedFailedException.class,
            e -> {
              assertThat(e).hasMessageContaining("2 of 4 inputs failed (indexes 1, 3)");
              assertThat(e.failures())
                  .extracting(io.batchwise.Embedding::index)
                  .containsExactly(1L, 3L);
              assertThat(e.failures().get(0).error())
                  .hasMessageContaining("input 1")
                  .hasMessageContaining("256");
              assertThat(e.failures().get(1).error())
                  .hasMessageContaining("input 3")
                  .hasMessageContaining("256");
            });

    double before = calls();
    Response<List<Embedding>> retry =
        model.embedAll(List.of(TextSegment.from(ok1), TextSegment.from(ok2)));
    assertThat(retry.content()).hasSize(2);
    assertThat(retry.tokenUsage().inputTokenCount()).isZero();
    assertThat(calls() - before).isZero();
  }

  @Test
  @DisplayName("embedAll returns vectors in input order, and each is the caller's to change")
  void vectorsInOrderAndCopied() {
    List<String> texts = List.of("first text", "second text", "first text");
    List<Embedding> vectors =
        model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(
              cosine(
                  vectors.get(i).vector(),
                  model.embed(TextSegment.from(texts.get(i))).content().vector()))
          .isCloseTo(1.0, within(1e-6));
    }
    float[] before = model.embed(TextSegment.from("first text")).content().vector().clone();
    vectors.get(0).vector()[0] = 42f; // a caller's change must not reach the cache
    assertThat(model.embed(TextSegment.from("first text")).content().vector())
        .containsExactly(before);
    assertThat(model.embedAll(List.of()).content()).isEmpty();
  }
}

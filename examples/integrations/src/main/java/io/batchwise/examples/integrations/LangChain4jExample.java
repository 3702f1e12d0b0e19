package io.batchwise.examples.integrations;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.IngestionResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.batchwise.Batchwise;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.Demo;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.langchain4j.BatchwiseEmbeddingModel;
import java.io.PrintStream;
import java.util.List;

/**
 * Batchwise inside a LangChain4j app: the sample corpus ingested by LangChain4j's {@code
 * EmbeddingStoreIngestor} into its {@code InMemoryEmbeddingStore}, the demo's questions asked
 * through its {@code EmbeddingStoreContentRetriever}, and the embedding model is Batchwise's — the
 * local all-MiniLM-L6-v2 with a cache, so that the second ingest sends nothing.
 *
 * <pre>
 * ./batchwise example langchain4j
 * </pre>
 */
public final class LangChain4jExample implements ExampleApp {

  /** For {@code ServiceLoader} and {@code main}. */
  public LangChain4jExample() {}

  /**
   * Runs the example.
   *
   * @param args none
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new LangChain4jExample().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "langchain4j";
  }

  @Override
  public String summary() {
    return "LangChain4j's ingestor and retriever with Batchwise as their EmbeddingModel (batchwise-langchain4j)";
  }

  private static IngestionResult ingest(
      BatchwiseEmbeddingModel model,
      InMemoryEmbeddingStore<TextSegment> store,
      List<Document> documents) {
    return EmbeddingStoreIngestor.builder()
        .embeddingModel(model)
        .embeddingStore(store)
        .build()
        .ingest(documents);
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    List<Document> documents =
        SampleCorpus.paragraphs().stream()
            .map(p -> Document.from(p.text(), Metadata.from("id", p.id())))
            .toList();
    try (Batchwise bw = Batchwise.builder().provider("local").cache("caffeine").build()) {
      BatchwiseEmbeddingModel model = new BatchwiseEmbeddingModel(bw.embedder());
      InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
      IngestionResult first = ingest(model, store, documents);
      // the same documents into another store, say after a restart with a persistent cache: no
      // token sent
      IngestionResult again = ingest(model, new InMemoryEmbeddingStore<>(), documents);
      err.printf(
          "ingested %d paragraphs with %s: %d tokens sent; ingested again: %d tokens sent%n",
          documents.size(),
          model.modelName(),
          first.tokenUsage().inputTokenCount(),
          again.tokenUsage().inputTokenCount());

      ContentRetriever retriever =
          EmbeddingStoreContentRetriever.builder()
              .embeddingStore(store)
              .embeddingModel(model)
              .maxResults(Demo.TOP_K)
              .build();
      return DemoQuestions.ask(
          question ->
              retriever.retrieve(Query.from(question)).stream()
                  .map(Content::textSegment)
                  .map(s -> s.metadata().getString("id"))
                  .toList(),
          out);
    }
  }
}

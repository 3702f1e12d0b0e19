package io.batchwise.examples.integrations;

import io.batchwise.Batchwise;
import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.demo.Demo;
import io.batchwise.examples.demo.SampleCorpus;
import io.batchwise.springai.BatchwiseEmbeddingModel;
import io.batchwise.springai.PassThroughBatchingStrategy;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;

/**
 * Batchwise inside a Spring AI app: the sample corpus embedded for Spring AI's {@code
 * SimpleVectorStore} and the demo's questions asked through its similarity search, with Batchwise's
 * local all-MiniLM-L6-v2 model and a cache as the {@code EmbeddingModel}. It also embeds the corpus
 * the way a batching vector store does in {@code add}, with the pass-through strategy, and prints
 * what that took.
 *
 * <pre>
 * ./batchwise example spring-ai
 * </pre>
 */
public final class SpringAiExample implements ExampleApp {

  /** For {@code ServiceLoader} and {@code main}. */
  public SpringAiExample() {}

  /**
   * Runs the example.
   *
   * @param args none
   * @throws Exception when it fails
   */
  public static void main(String[] args) throws Exception {
    System.exit(new SpringAiExample().run(List.of(args), System.out, System.err));
  }

  @Override
  public String name() {
    return "spring-ai";
  }

  @Override
  public String summary() {
    return "Spring AI's SimpleVectorStore with Batchwise as its EmbeddingModel (batchwise-spring-ai)";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    List<Document> documents =
        SampleCorpus.paragraphs().stream()
            .map(p -> new Document(p.id(), p.text(), Map.of("topic", p.topic())))
            .toList();
    try (Batchwise bw = Batchwise.builder().provider("local").cache("caffeine").build()) {
      BatchwiseEmbeddingModel model = new BatchwiseEmbeddingModel(bw.embedder());
      // what a batching store's add() does: one call for every document, packed by Batchwise
      List<float[]> vectors =
          model.embed(
              documents, EmbeddingOptions.builder().build(), new PassThroughBatchingStrategy());
      err.printf(
          "embedded %d paragraphs of %d dimensions in one call to the model%n",
          vectors.size(), model.dimensions());

      VectorStore store = SimpleVectorStore.builder(model).build();
      store.add(documents); // SimpleVectorStore embeds one document at a time: all cache hits now
      return DemoQuestions.ask(
          question ->
              store
                  .similaritySearch(
                      SearchRequest.builder().query(question).topK(Demo.TOP_K).build())
                  .stream()
                  .map(Document::getId)
                  .toList(),
          out);
    }
  }
}

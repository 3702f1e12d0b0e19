package io.batchwise.springai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.scheduler.Packers;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;

/**
 * The path every batching Spring AI vector store takes in {@code add} — {@code
 * embeddingModel.embed(documents, options, batchingStrategy)} — against Batchwise's {@code openai}
 * provider and an OpenAI-compatible server on loopback. The documents are chosen so that Spring
 * AI's default {@code TokenCountBatchingStrategy} (8,191 cl100k tokens less 10% a batch) cuts them
 * into three batches, where Batchwise, with the strategy passing them through, packs them into the
 * two requests its packer predicts for a 10,000-token call.
 */
class PassThroughBatchingStrategyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIMENSIONS = 8;

  private MockWebServer server;

  /** The inputs of each request the server received, in arrival order. */
  private final List<Integer> requests = Collections.synchronizedList(new ArrayList<>());

  private Batchwise batchwise;
  private BatchwiseEmbeddingModel model;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            try {
              return answer(JSON.readTree(request.getBody().utf8()).get("input"));
            } catch (Exception e) {
              return new MockResponse.Builder().code(500).body(e.toString()).build();
            }
          }
        });
    server.start();
    batchwise =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("openai")
            .option("openai.base-url", server.url("/v1").toString())
            .option("openai.api-key", "sk-test-only")
            .option("model", "text-embedding-3-small")
            .option("openai.dimensions", Integer.toString(DIMENSIONS))
            .option("max-tokens-per-call", "10000")
            .build();
    model = new BatchwiseEmbeddingModel(batchwise.embedder());
  }

  /** One vector per input, whose first component is the input's length, so order can be checked. */
  private MockResponse answer(JsonNode input) throws Exception {
    requests.add(input.size());
    ObjectNode response =
        JSON.createObjectNode().put("object", "list").put("model", "text-embedding-3-small");
    ArrayNode data = response.putArray("data");
    for (int i = 0; i < input.size(); i++) {
      ArrayNode vector =
          data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
      vector.add(input.get(i).asText().length());
      for (int d = 1; d < DIMENSIONS; d++) {
        vector.add(1);
      }
    }
    response
        .putObject("usage")
        .put("prompt_tokens", input.size())
        .put("total_tokens", input.size());
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(JSON.writeValueAsString(response))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    batchwise.close();
    server.close();
  }

  /** 40 documents of about 400 tokens each, all different. */
  private static List<Document> documents() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add(
          new Document(
              "Report "
                  + i
                  + ": "
                  + ("the measured values of station " + i + " rose again ").repeat(50)));
    }
    return docs;
  }

  /**
   * The requests Batchwise's own packer makes of the texts, by the provider's tokenizer and limits.
   */
  private int predictedRequests(List<Document> docs) {
    Tokenizer tokenizer = batchwise.provider().tokenizer();
    ModelInfo limits = batchwise.embedder().modelInfo();
    int[] tokens = docs.stream().mapToInt(d -> tokenizer.count(d.getText())).toArray();
    return Packers.singleCall(tokens, limits.maxInputsPerCall(), limits.maxTokensPerCall()).size();
  }

  private void assertInOrder(List<Document> docs, List<float[]> vectors) {
    assertThat(vectors).hasSameSizeAs(docs);
    for (int i = 0; i < docs.size(); i++) {
      assertThat(vectors.get(i)[0]).as("vector %d", i).isEqualTo(docs.get(i).getText().length());
    }
  }

  @Test
  @DisplayName(
      "passed through, the documents take the requests Batchwise's packing predicts, not Spring AI's batches")
  void passThroughTakesThePredictedRequests() {
    List<Document> docs = documents();
    int springBatches = new TokenCountBatchingStrategy().batch(docs).size();
    int predicted = predictedRequests(docs);
    assertThat(springBatches).as("Spring AI's token-count batches").isEqualTo(3);
    assertThat(predicted).as("Batchwise's packing").isEqualTo(2);

    List<float[]> vectors =
        model.embed(docs, EmbeddingOptions.builder().build(), new PassThroughBatchingStrategy());
    assertInOrder(docs, vectors);
    assertThat(requests).as("requests the server received").hasSize(predicted);
    assertThat(requests.stream().mapToInt(Integer::intValue).sum()).isEqualTo(docs.size());
  }

  @Test
  @DisplayName(
      "with Spring AI's default strategy, each of its batches becomes a request of its own")
  void tokenCountBatchingMakesARequestPerBatch() {
    List<Document> docs = documents();
    List<float[]> vectors =
        model.embed(docs, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());
    assertInOrder(docs, vectors);
    assertThat(requests).hasSize(new TokenCountBatchingStrategy().batch(docs).size()).hasSize(3);
  }

  @Test
  @DisplayName(
      "the strategy keeps every document in order, equal ones too, and makes no batch of nothing")
  void oneBatchOfEverything() {
    Document a = new Document("same text");
    List<Document> docs = List.of(a, new Document("other"), a);
    assertThat(new PassThroughBatchingStrategy().batch(docs)).containsExactly(docs);
    assertThat(new PassThroughBatchingStrategy().batch(List.of())).isEmpty();
    assertThat(
            model.embed(
                List.of(), EmbeddingOptions.builder().build(), new PassThroughBatchingStrategy()))
        .isEmpty();
    assertThat(requests).isEmpty();
  }
}

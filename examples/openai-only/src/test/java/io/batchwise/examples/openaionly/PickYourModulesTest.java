package io.batchwise.examples.openaionly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.spi.EmbeddingProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "Pick your modules": this module's test classpath is core, providers-openai and their
 * dependencies (plus the test libraries), exactly what an OpenAI-only app ships with. The app works
 * against an OpenAI-compatible server on loopback, and nothing of the local provider is there.
 */
class PickYourModulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIMENSIONS = 8;

  private MockWebServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            try {
              JsonNode body = JSON.readTree(request.getBody().utf8());
              ObjectNode response = JSON.createObjectNode();
              response.put("object", "list");
              ArrayNode data = response.putArray("data");
              int n = body.get("input").size();
              for (int i = 0; i < n; i++) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                ArrayNode vector = item.putArray("embedding");
                String text = body.get("input").get(i).asText();
                for (int d = 0; d < DIMENSIONS; d++) {
                  vector.add(
                      d == 0
                          ? text.length()
                          : 1.0 / (d + 1)); // the first component tells texts apart
                }
              }
              response.put("model", body.get("model").asText());
              response.putObject("usage").put("prompt_tokens", n).put("total_tokens", n);
              return new MockResponse.Builder()
                  .code(200)
                  .addHeader("Content-Type", "application/json")
                  .body(JSON.writeValueAsString(response))
                  .build();
            } catch (Exception e) {
              return new MockResponse.Builder().code(500).body(e.toString()).build();
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Map<String, String> options() {
    return Map.of(
        "openai.base-url",
        server.url("/v1").toString(),
        "openai.api-key",
        "sk-test-only",
        "model",
        "custom-embedder",
        "openai.dimensions",
        Integer.toString(DIMENSIONS));
  }

  @Test
  @DisplayName("no ONNX Runtime, no DJL tokenizers and no local provider are on the classpath")
  void nothingLocalOnTheClasspath() {
    for (String name :
        List.of(
            "ai.onnxruntime.OrtEnvironment",
            "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer")) {
      assertThatThrownBy(() -> Class.forName(name))
          .as(name)
          .isInstanceOf(ClassNotFoundException.class);
    }
    assertThat(getClass().getClassLoader().getResource("all-minilm-l6-v2.onnx"))
        .as("model file")
        .isNull();
    assertThat(
            ServiceLoader.load(EmbeddingProviderFactory.class).stream()
                .map(p -> p.get().id())
                .toList())
        .containsExactly("openai");
    assertThatThrownBy(
            () -> Batchwise.builder().sources(new Properties(), Map.of()).provider("local").build())
        .hasMessageContaining("io.batchwise:batchwise-providers-local");
  }

  @Test
  @DisplayName("the app embeds through an OpenAI-compatible server on loopback, in order")
  void embedsThroughOpenAi() {
    List<String> texts = List.of("a", "bb", "ccc", "bb");
    EmbedResult result = OpenAiOnlyApp.embed(texts, options(), new Properties(), Map.of());
    List<float[]> vectors = result.vectors();
    assertThat(vectors).hasSize(4);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).hasSize(DIMENSIONS);
      assertThat(vectors.get(i)[0]).isEqualTo(texts.get(i).length());
    }
    assertThat(result.usage().uniqueInputs()).isEqualTo(3);
    assertThat(requests.get()).isEqualTo(1);
  }
}

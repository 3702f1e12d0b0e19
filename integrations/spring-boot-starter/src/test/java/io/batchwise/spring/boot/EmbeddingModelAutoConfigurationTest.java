package io.batchwise.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import java.io.IOException;
import java.net.InetAddress;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Spring AI and LangChain4j {@code EmbeddingModel} beans: present when the framework and the
 * adapter are on the class path and the application has no model of its own, embedding through the
 * context's Batchwise (the {@code openai} provider against an OpenAI-compatible server on
 * loopback); absent otherwise.
 */
class EmbeddingModelAutoConfigurationTest {
  private static final String ANSWER =
      "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
          + "\"embedding\":[0.5,0.5,0.5,0.5]}],\"model\":\"text-embedding-3-small\","
          + "\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}";

  private final MockWebServer server = new MockWebServer();
  private ApplicationContextRunner runner;

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
    runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    BatchwiseAutoConfiguration.class,
                    BatchwiseSpringAiAutoConfiguration.class,
                    BatchwiseLangChain4jAutoConfiguration.class))
            .withPropertyValues(
                "batchwise.provider=openai",
                "batchwise.openai.api-key=sk-test",
                "batchwise.openai.base-url=" + server.url("/v1"),
                "batchwise.openai.dimensions=4",
                "batchwise.openai.encoding-format=float",
                "batchwise.max-attempts=1");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void answerOnce() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(ANSWER)
            .build());
  }

  private String sentInput() throws InterruptedException {
    RecordedRequest request = server.takeRequest();
    return request.getBody().utf8();
  }

  @Test
  void springAiModelEmbedsThroughTheContextsBatchwise() throws InterruptedException {
    answerOnce();
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(org.springframework.ai.embedding.EmbeddingModel.class);
          org.springframework.ai.embedding.EmbeddingModel model =
              context.getBean(org.springframework.ai.embedding.EmbeddingModel.class);
          assertThat(model).isInstanceOf(io.batchwise.springai.BatchwiseEmbeddingModel.class);
          assertThat(model.dimensions()).isEqualTo(4);
          assertThat(model.embed("a text for spring ai")).containsExactly(0.5f, 0.5f, 0.5f, 0.5f);
          assertThat(
                  context
                      .getBean(Batchwise.class)
                      .meterRegistry()
                      .get("batchwise.embed.calls")
                      .counter()
                      .count())
              .isEqualTo(1);
        });
    assertThat(sentInput()).contains("a text for spring ai");
  }

  @Test
  void langChain4jModelEmbedsThroughTheContextsBatchwise() throws InterruptedException {
    answerOnce();
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
          dev.langchain4j.model.embedding.EmbeddingModel model =
              context.getBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
          assertThat(model).isInstanceOf(io.batchwise.langchain4j.BatchwiseEmbeddingModel.class);
          assertThat(model.dimension()).isEqualTo(4);
          assertThat(model.embed("a text for langchain4j").content().vector())
              .containsExactly(0.5f, 0.5f, 0.5f, 0.5f);
        });
    assertThat(sentInput()).contains("a text for langchain4j");
  }

  @Test
  void theApplicationsOwnModelsWin() {
    try (Batchwise other =
        Batchwise.builder().provider("openai").option("openai.api-key", "sk-test").build()) {
      runner
          .withBean(
              "mySpringAiModel",
              org.springframework.ai.embedding.EmbeddingModel.class,
              () -> new io.batchwise.springai.BatchwiseEmbeddingModel(other.embedder()))
          .withBean(
              "myLangChain4jModel",
              dev.langchain4j.model.embedding.EmbeddingModel.class,
              () -> new io.batchwise.langchain4j.BatchwiseEmbeddingModel(other.embedder()))
          .run(
              context -> {
                assertThat(
                        context.getBeansOfType(
                            org.springframework.ai.embedding.EmbeddingModel.class))
                    .containsOnlyKeys("mySpringAiModel");
                assertThat(
                        context.getBeansOfType(
                            dev.langchain4j.model.embedding.EmbeddingModel.class))
                    .containsOnlyKeys("myLangChain4jModel");
              });
    }
  }

  @Test
  void noSpringAiModelWithoutSpringAiOrItsAdapter() {
    runner
        .withClassLoader(
            new FilteredClassLoader(org.springframework.ai.embedding.EmbeddingModel.class))
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(Embedder.class)
                  .hasSingleBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
              assertThat(context).doesNotHaveBean("batchwiseSpringAiEmbeddingModel");
            });
    runner
        .withClassLoader(
            new FilteredClassLoader(io.batchwise.springai.BatchwiseEmbeddingModel.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Embedder.class)
                    .doesNotHaveBean(org.springframework.ai.embedding.EmbeddingModel.class));
  }

  @Test
  void noLangChain4jModelWithoutLangChain4jOrItsAdapter() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.langchain4j."))
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(Embedder.class)
                  .hasSingleBean(org.springframework.ai.embedding.EmbeddingModel.class);
              assertThat(context).doesNotHaveBean("batchwiseLangChain4jEmbeddingModel");
            });
    runner
        .withClassLoader(
            new FilteredClassLoader(io.batchwise.langchain4j.BatchwiseEmbeddingModel.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Embedder.class)
                    .doesNotHaveBean(dev.langchain4j.model.embedding.EmbeddingModel.class));
  }
}

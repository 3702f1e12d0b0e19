package io.batchwise.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.meters.MeterNames;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The application's {@link ObservationRegistry} reaches Batchwise: with Boot's own observation
 * auto-configuration, and with a registry bean of the application's, whose observations of a real
 * embed (the {@code openai} provider against a server on loopback) are the embed and its call.
 */
class ObservationAutoConfigurationTest {
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            // one input per request here: the test embeds one text
            return new MockResponse.Builder()
                .addHeader("content-type", "application/json")
                .body(
                    "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                        + "\"embedding\":[0.6,0.8,0,0,0,0,0,0]}],\"model\":\"text-embedding-3-small\","
                        + "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}")
                .build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApplicationContextRunner openai() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BatchwiseAutoConfiguration.class))
        .withPropertyValues(
            "batchwise.provider=openai",
            "batchwise.openai.api-key=sk-test-not-sent",
            "batchwise.openai.base-url=" + server.url("/v1"),
            "batchwise.openai.dimensions=8",
            "batchwise.openai.encoding-format=float");
  }

  @Test
  void bootsObservationRegistryIsHandedToBatchwise() {
    openai()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
        .run(
            context -> {
              ObservationRegistry boots = context.getBean(ObservationRegistry.class);
              assertThat(boots).isNotSameAs(ObservationRegistry.NOOP);
              assertThat(context.getBean(Batchwise.class).observationRegistry()).isSameAs(boots);
            });
  }

  @Test
  void anEmbedInTheApplicationIsObservedWithItsCallAsAChild() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    openai()
        .withBean(ObservationRegistry.class, () -> registry)
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.embedAll(List.of("a query")).allSucceeded()).isTrue();
            });
    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(MeterNames.OBSERVATION_EMBED, 1)
        .hasObservationWithNameEqualTo(MeterNames.OBSERVATION_CALL)
        .that()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue(MeterNames.TAG_PROVIDER, "openai")
        .hasLowCardinalityKeyValue(MeterNames.GEN_AI_OPERATION_NAME, "embeddings")
        .hasParentObservationContextMatching(c -> c.getName().equals(MeterNames.OBSERVATION_EMBED));
  }

  @Test
  void withoutAnObservationRegistryNothingIsObserved() {
    openai()
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ObservationRegistry.class);
              assertThat(context.getBean(Batchwise.class).observationRegistry())
                  .isSameAs(ObservationRegistry.NOOP);
            });
  }
}

package io.batchwise.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.EmbeddingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The auto-configuration in a real application context (Boot's {@link ApplicationContextRunner}),
 * one context per test. The provider is {@code openai} with a dummy key: creating it sends nothing.
 */
class BatchwiseAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BatchwiseAutoConfiguration.class));
  private final ApplicationContextRunner openai =
      runner.withPropertyValues(
          "batchwise.provider=openai", "batchwise.openai.api-key=sk-test-not-sent");

  /** The cause of a failed start-up, which must be Batchwise's configuration error. */
  private static AbstractThrowableAssert<?, ? extends Throwable> startupFailure(
      AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    return assertThat(context.getStartupFailure())
        .rootCause()
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void bindsTheBatchwisePropertiesByTheirKeys() {
    openai
        .withPropertyValues(
            "batchwise.concurrency=3",
            "batchwise.openai.base-url=http://127.0.0.1:9/v1",
            "batchwise.call-timeout=5s")
        .run(
            context -> {
              Batchwise bw = context.getBean(Batchwise.class);
              assertThat(value(bw, "provider")).isEqualTo("openai");
              assertThat(value(bw, "concurrency")).isEqualTo(3);
              assertThat(value(bw, "openai.base-url")).isEqualTo("http://127.0.0.1:9/v1");
              assertThat(value(bw, "call-timeout")).isEqualTo(Duration.ofSeconds(5));
              assertThat(bw.provider().id()).isEqualTo("openai");
            });
  }

  @Test
  void acceptsSpringsRelaxedNames() {
    openai
        .withPropertyValues(
            "batchwise.maxAttempts=2", "batchwise.openai.base_url=http://127.0.0.1:9/v1")
        .run(
            context -> {
              Batchwise bw = context.getBean(Batchwise.class);
              assertThat(value(bw, "max-attempts")).isEqualTo(2);
              assertThat(value(bw, "openai.base-url")).isEqualTo("http://127.0.0.1:9/v1");
            });
  }

  @Test
  void followsSpringsPrecedenceBetweenPropertySources() {
    openai
        .withPropertyValues("batchwise.concurrency=3")
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addLast(
                        new MapPropertySource(
                            "defaults",
                            Map.of("batchwise.concurrency", "7", "batchwise.max-attempts", "2"))))
        .run(
            context -> {
              Batchwise bw = context.getBean(Batchwise.class);
              assertThat(value(bw, "concurrency")).as("the earlier source wins").isEqualTo(3);
              assertThat(value(bw, "max-attempts")).as("a later source is read too").isEqualTo(2);
            });
  }

  @Test
  void readsEnvironmentVariablesOverApplicationPropertiesAndIgnoresUnknownOnes() {
    openai
        .withInitializer(
            context -> {
              MutablePropertySources sources = context.getEnvironment().getPropertySources();
              Map<String, Object> env =
                  new HashMap<>(context.getEnvironment().getSystemEnvironment());
              env.put("BATCHWISE_MAX_ATTEMPTS", "2");
              env.put(
                  "BATCHWISE_NOT_AN_OPTION",
                  "x"); // the environment is shared: warned about by build(), not fatal
              sources.replace(
                  StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                  new SystemEnvironmentPropertySource(
                      StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
              sources.addLast(
                  new MapPropertySource(
                      "application.properties", Map.of("batchwise.max-attempts", "5")));
            })
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(value(context.getBean(Batchwise.class), "max-attempts")).isEqualTo(2);
            });
  }

  @Test
  void anUnknownPropertyFailsTheStartUpNamingTheClosestOptions() {
    openai
        .withPropertyValues("batchwise.opnai.base-url=http://127.0.0.1:9/v1")
        .run(
            context -> {
              startupFailure(context)
                  .hasMessageStartingWith(
                      "unknown option 'opnai.base-url' (set as batchwise.opnai.base-url")
                  .hasMessageEndingWith("; did you mean 'openai.base-url'?");
            });
  }

  @Test
  void aValueOutOfRangeFailsTheStartUpAsBuildDoes() {
    openai
        .withPropertyValues("batchwise.concurrency=0")
        .run(
            context -> {
              startupFailure(context)
                  .hasMessage("option 'concurrency' must be in [1, 1024], was 0");
            });
  }

  @Test
  void anOptionOfAProviderThatIsNotSelectedFailsTheStartUp() {
    openai
        .withPropertyValues("batchwise.local.model=all-minilm-l6-v2")
        .run(
            context -> {
              startupFailure(context)
                  .hasMessageContaining(
                      "option 'local.model' is an option of provider 'local', but the selected provider is 'openai'");
            });
  }

  @Test
  void oneBatchwiseAndItsEmbedderClosedWithTheContext() {
    AtomicReference<Embedder> embedder = new AtomicReference<>();
    openai.run(
        context -> {
          assertThat(context).hasSingleBean(Batchwise.class).hasSingleBean(Embedder.class);
          embedder.set(context.getBean(Embedder.class));
          assertThat(embedder.get()).isSameAs(context.getBean(Batchwise.class).embedder());
        });
    assertThatThrownBy(() -> embedder.get().embedAll(List.of("after shutdown")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theEmbedderIsLazySoAnAppWithoutAProviderStillGetsTheScheduler() {
    // no provider module for 'local' is needed until something asks for the embedder
    runner
        .withPropertyValues("batchwise.local.model-dir=/does/not/exist")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Batchwise.class).scheduler()).isNotNull();
              assertThatThrownBy(() -> context.getBean(Embedder.class))
                  .rootCause()
                  .hasMessageContaining("/does/not/exist");
            });
  }

  @Test
  void recordsToTheApplicationsMeterRegistryAndLeavesItOpen() {
    AtomicReference<MeterRegistry> registry = new AtomicReference<>();
    openai
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .run(
            context -> {
              registry.set(context.getBean(MeterRegistry.class));
              assertThat(context.getBean(Batchwise.class).meterRegistry()).isSameAs(registry.get());
            });
    assertThat(registry.get().isClosed()).as("closed by the context, not by Batchwise").isTrue();
  }

  @Test
  void anApplicationsOwnMeterRegistryIsUsedAndNotClosedByBatchwise() {
    SimpleMeterRegistry mine = new SimpleMeterRegistry();
    openai
        .withBean(MeterRegistry.class, () -> mine, bd -> bd.setDestroyMethodName(""))
        .run(
            context -> assertThat(context.getBean(Batchwise.class).meterRegistry()).isSameAs(mine));
    assertThat(mine.isClosed()).isFalse();
  }

  @Test
  void withoutAMeterRegistryBatchwiseKeepsItsOwn() {
    openai.run(
        context -> {
          assertThat(context).doesNotHaveBean(MeterRegistry.class);
          assertThat(context.getBean(Batchwise.class).meterRegistry())
              .isInstanceOf(SimpleMeterRegistry.class);
        });
  }

  @Test
  void usesTheApplicationsProviderBean() {
    try (Batchwise other =
        Batchwise.builder()
            .provider("openai")
            .option("openai.api-key", "sk-test-not-sent")
            .build()) {
      EmbeddingProvider mine = other.provider();
      runner
          .withBean(EmbeddingProvider.class, () -> mine, bd -> bd.setDestroyMethodName(""))
          .run(context -> assertThat(context.getBean(Batchwise.class).provider()).isSameAs(mine));
    }
  }

  @Test
  void customizersRunLast() {
    openai
        .withBean(
            BatchwiseBuilderCustomizer.class, () -> builder -> builder.option("max-attempts", "5"))
        .run(
            context ->
                assertThat(value(context.getBean(Batchwise.class), "max-attempts")).isEqualTo(5));
  }

  @Test
  void theApplicationsOwnBatchwiseReplacesTheAutoConfiguredOne() {
    openai
        .withBean(
            "mine",
            Batchwise.class,
            () ->
                Batchwise.builder()
                    .provider("openai")
                    .option("openai.api-key", "sk-test-not-sent")
                    .option("max-attempts", "1")
                    .build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(Batchwise.class);
              assertThat(value(context.getBean(Batchwise.class), "max-attempts")).isEqualTo(1);
              assertThat(context.getBean(Embedder.class))
                  .isSameAs(context.getBean(Batchwise.class).embedder());
            });
  }

  /** An option's typed value, read by key as the starter's user would set it. */
  private static Object value(Batchwise batchwise, String key) {
    return batchwise.config().get(batchwise.config().options().get(key));
  }
}

package io.batchwise.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code batchwise} health indicator in a real application context: the provider's state, the
 * cache breaker's state, and that a check sends no request to the provider.
 */
class BatchwiseHealthIndicatorTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BatchwiseAutoConfiguration.class, BatchwiseHealthAutoConfiguration.class));

  private static Health health(org.springframework.context.ApplicationContext context) {
    return context.getBean("batchwiseHealthIndicator", HealthIndicator.class).health();
  }

  @Test
  void upWithTheProviderAndNoCacheAndNoRequestSent() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      runner
          .withPropertyValues(
              "batchwise.provider=openai",
              "batchwise.openai.api-key=sk-test-not-sent",
              "batchwise.openai.base-url=" + server.url("/v1"))
          .run(
              context -> {
                Health health = health(context);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                    .containsEntry("provider", "openai")
                    .containsEntry("model", "text-embedding-3-small")
                    .containsEntry("dimensions", 1536)
                    .containsEntry("cache", "none")
                    .containsEntry("cacheBreaker", "none");
              });
      assertThat(server.getRequestCount()).as("requests the health check sent").isZero();
    }
  }

  @Test
  void degradedWhileTheCacheBreakerIsOpen() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // closed again: nothing listens there, so Redis is unreachable
    }
    runner
        .withPropertyValues(
            "batchwise.provider=openai",
            "batchwise.openai.api-key=sk-test-not-sent",
            "batchwise.cache=redis",
            "batchwise.cache.uri=redis://127.0.0.1:" + port,
            "batchwise.cache.breaker.failure-threshold=1")
        .run(
            context -> {
              Batchwise bw = context.getBean(Batchwise.class);
              assertThat(health(context).getDetails()).containsEntry("cacheBreaker", "closed");
              assertThat(health(context).getStatus()).isEqualTo(Status.UP);

              // a lookup, as an embed makes: Redis is down, so it misses and the breaker opens
              CacheKey key =
                  CacheKey.of(
                      VectorIdentity.of(bw.provider().id(), bw.provider().modelInfo()).namespace(),
                      "a text");
              assertThat(bw.cache().getAll(List.of(key))).isEmpty();

              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(BatchwiseHealthIndicator.DEGRADED);
              assertThat(health.getDetails())
                  .containsEntry("cacheBreaker", "open")
                  .containsEntry("cache", "Redis cache at redis://127.0.0.1:" + port + "/0")
                  .containsEntry("provider", "openai");
            });
  }

  @Test
  void downNamingTheReasonWhenTheProviderCannotBeCreated() {
    runner
        .withPropertyValues("batchwise.local.model-dir=/does/not/exist")
        .run(
            context -> {
              Health health = health(context);
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsEntry("provider", "local");
              assertThat((String) health.getDetails().get("error")).contains("/does/not/exist");
            });
  }

  @Test
  void offWhenDisabledByProperty() {
    runner
        .withPropertyValues("management.health.batchwise.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Batchwise.class)
                    .doesNotHaveBean("batchwiseHealthIndicator"));
  }

  @Test
  void absentWithoutBootsHealthSupport() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Batchwise.class)
                    .doesNotHaveBean("batchwiseHealthIndicator"));
  }
}

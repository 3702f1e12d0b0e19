package io.batchwise.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.batchwise.Batchwise;
import io.batchwise.config.CoreOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example application, started as Boot starts it (one context for the class), embedding with
 * the local all-MiniLM-L6-v2 model — with the versions Spring Boot's BOM manages, not Batchwise's.
 */
@SpringBootTest
class SpringBootExampleTest {
  @Autowired FaqService faq;
  @Autowired Batchwise batchwise;
  @Autowired MeterRegistry meterRegistry;
  @Autowired HealthIndicator batchwiseHealthIndicator;

  @Test
  void answersEachQuestionWithItsPassage() {
    assertThat(faq.answer("How do I get my money back?")).isEqualTo(FaqService.ANSWERS.get(0));
    assertThat(faq.answer("Do you ship to Germany, and how long does it take?"))
        .isEqualTo(FaqService.ANSWERS.get(1));
    assertThat(faq.answer("I forgot my password")).isEqualTo(FaqService.ANSWERS.get(2));
    assertThat(faq.answer("When can I call you?")).isEqualTo(FaqService.ANSWERS.get(3));
  }

  @Test
  void theStarterBuiltBatchwiseFromApplicationPropertiesOnBootsMeterRegistry() {
    assertThat(batchwise.config().get(CoreOptions.PROVIDER)).isEqualTo("local");
    assertThat(batchwise.config().get(CoreOptions.CACHE)).isEqualTo("caffeine");
    assertThat(batchwise.meterRegistry()).isSameAs(meterRegistry);
    faq.answer("Is the support line open on Saturday?");
    assertThat(meterRegistry.get("batchwise.embed.calls").counter().count()).isPositive();
  }

  @Test
  void theHealthIndicatorReportsTheLocalModel() {
    Health health = batchwiseHealthIndicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails())
        .containsEntry("provider", "local")
        .containsEntry("model", "all-minilm-l6-v2")
        .containsEntry("dimensions", 384)
        .containsEntry("cacheBreaker", "none");
  }

  @Test
  void runsWithTheVersionsBootManages() {
    // Boot 4.0.7's BOM manages Micrometer 1.16, Caffeine 3.2 and JUnit 6; Batchwise's parent pins
    // 1.17,
    // 3.3 and 5.14. An application that imports Boot's BOM gets Boot's: this test runs on them.
    assertThat(jar(MeterRegistry.class)).startsWith("micrometer-core-1.16.");
    assertThat(jar(Caffeine.class)).startsWith("caffeine-3.2.");
    assertThat(jar(Test.class)).startsWith("junit-jupiter-api-6.");
  }

  private static String jar(Class<?> type) {
    String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}

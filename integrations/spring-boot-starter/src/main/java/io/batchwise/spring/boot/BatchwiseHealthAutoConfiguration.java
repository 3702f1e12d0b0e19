package io.batchwise.spring.boot;

import io.batchwise.Batchwise;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code batchwise} health indicator, when Boot's health support is on the class path (it comes
 * with {@code spring-boot-starter-actuator}); {@code management.health.batchwise.enabled=false}
 * turns it off.
 */
@AutoConfiguration(after = BatchwiseAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Batchwise.class)
@ConditionalOnEnabledHealthIndicator("batchwise")
public class BatchwiseHealthAutoConfiguration {

  /** For Spring. */
  public BatchwiseHealthAutoConfiguration() {}

  /**
   * The indicator, named {@code batchwise} in the health endpoint.
   *
   * @param batchwise the instance it reports on
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "batchwiseHealthIndicator")
  public BatchwiseHealthIndicator batchwiseHealthIndicator(Batchwise batchwise) {
    return new BatchwiseHealthIndicator(batchwise);
  }
}

package io.batchwise.spring.boot;

import io.batchwise.Batchwise;

/**
 * Changes the builder of the auto-configured {@link Batchwise} after the {@code batchwise.*}
 * properties, the application's meter registry and its {@code EmbeddingProvider} and {@code
 * EmbeddingCache} beans have been applied, just before {@code build()}. Every bean of this type is
 * applied, in {@link org.springframework.core.annotation.Order} order.
 *
 * <pre>{@code
 * @Bean
 * BatchwiseBuilderCustomizer scheduler(Scheduler shared) {
 *   return builder -> builder.scheduler(shared);
 * }
 * }</pre>
 *
 * <p>Each setting may be given once, as on the builder itself: setting an option that a property
 * already set fails at start-up naming it.
 */
@FunctionalInterface
public interface BatchwiseBuilderCustomizer {

  /**
   * Changes the builder.
   *
   * @param builder the builder, with the properties already applied
   */
  void customize(Batchwise.Builder builder);
}

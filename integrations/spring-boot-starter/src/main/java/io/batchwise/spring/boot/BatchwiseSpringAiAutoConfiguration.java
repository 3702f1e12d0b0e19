package io.batchwise.spring.boot;

import io.batchwise.Embedder;
import io.batchwise.springai.BatchwiseEmbeddingModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Batchwise as the application's Spring AI {@link EmbeddingModel}, when Spring AI and {@code
 * batchwise-spring-ai} are on the class path and the application has no embedding model of its own.
 * Ordered last among auto-configurations, so that Spring AI's own model auto-configurations (a
 * {@code spring-ai-starter-model-*} the application chose) come first and win.
 */
@AutoConfiguration(after = BatchwiseAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({EmbeddingModel.class, BatchwiseEmbeddingModel.class})
@ConditionalOnBean(Embedder.class)
public class BatchwiseSpringAiAutoConfiguration {

  /** For Spring. */
  public BatchwiseSpringAiAutoConfiguration() {}

  /**
   * The embedding model: every call one Batchwise {@code embedAll} on the application's embedder.
   *
   * @param embedder the embedder
   * @return the model
   */
  @Bean
  @ConditionalOnMissingBean(EmbeddingModel.class)
  public BatchwiseEmbeddingModel batchwiseSpringAiEmbeddingModel(Embedder embedder) {
    return new BatchwiseEmbeddingModel(embedder);
  }
}

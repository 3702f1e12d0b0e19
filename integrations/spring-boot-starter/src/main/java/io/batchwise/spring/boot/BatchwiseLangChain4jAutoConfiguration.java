package io.batchwise.spring.boot;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.batchwise.Embedder;
import io.batchwise.langchain4j.BatchwiseEmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Batchwise as the application's LangChain4j {@link EmbeddingModel}, when LangChain4j and {@code
 * batchwise-langchain4j} are on the class path and the application has no embedding model of its
 * own. Ordered last among auto-configurations, so that a LangChain4j Spring Boot starter's own
 * model (one the application configured) comes first and wins.
 */
@AutoConfiguration(after = BatchwiseAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({EmbeddingModel.class, BatchwiseEmbeddingModel.class})
@ConditionalOnBean(Embedder.class)
public class BatchwiseLangChain4jAutoConfiguration {

  /** For Spring. */
  public BatchwiseLangChain4jAutoConfiguration() {}

  /**
   * The embedding model: every {@code embedAll} one Batchwise {@code embedAll} on the application's
   * embedder.
   *
   * @param embedder the embedder
   * @return the model
   */
  @Bean
  @ConditionalOnMissingBean(EmbeddingModel.class)
  public BatchwiseEmbeddingModel batchwiseLangChain4jEmbeddingModel(Embedder embedder) {
    return new BatchwiseEmbeddingModel(embedder);
  }
}

package io.batchwise.langchain4j;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;

/**
 * The provider contract, kept by LangChain4j's in-process all-MiniLM-L6-v2 model behind the
 * adapter.
 */
class LangChain4jProviderContractTest extends EmbeddingProviderContract {
  /** Loaded once: the contract makes a provider per test, and a provider never closes its model. */
  private static final AllMiniLmL6V2EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();

  @Override
  protected EmbeddingProvider createProvider() {
    return LangChain4jProvider.builder(MODEL).normalized(true).build();
  }
}

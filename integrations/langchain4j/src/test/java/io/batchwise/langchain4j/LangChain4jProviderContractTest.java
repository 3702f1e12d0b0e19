package io.batchwise.langchain4j;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.List;
import java.util.Optional;

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

  /** LangChain4j refuses a blank text segment: the whole call fails, for good. */
  @Override
  protected Optional<ProvokedFailure> provokeFailure() {
    return Optional.of(new ProvokedFailure(List.of("a sentence the model takes", " "), false));
  }
}

package io.batchwise.providers.openai;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The provider contract, run against an OpenAI-compatible server on loopback, once with base64
 * vectors and once with float arrays.
 */
class OpenAiEmbeddingProviderContractTest {

  abstract static class AgainstFakeServer extends EmbeddingProviderContract {
    private MockWebServer server;

    abstract String encodingFormat();

    @Override
    protected EmbeddingProvider createProvider() throws Exception {
      server = new MockWebServer();
      server.setDispatcher(new FakeOpenAiServer().dimensions(64));
      server.start();
      return TestProviders.create(
          TestProviders.options(
              server.url("/v1").toString(),
              "openai.dimensions", "64",
              "openai.encoding-format", encodingFormat(),
              // the contract bounds each call itself (60 s); the default 30 s must not cut it shorter
              "call-timeout", "10m"));
    }

    @Override
    protected int inputsForLimitTest() {
      return provider.modelInfo().maxInputsPerCall(); // all 2,048: cheap on loopback
    }

    @AfterEach
    void stopServer() {
      server.close();
    }
  }

  @Nested
  class Base64Vectors extends AgainstFakeServer {
    @Override
    String encodingFormat() {
      return "base64";
    }
  }

  @Nested
  class FloatVectors extends AgainstFakeServer {
    @Override
    String encodingFormat() {
      return "float";
    }
  }
}

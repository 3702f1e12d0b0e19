package io.batchwise.providers.openai;

import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.testkit.EmbeddingProviderContract;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The provider contract, run against an OpenAI-compatible server on loopback, once with base64
 * vectors (the provoked failure a 500) and once with float arrays (a 400).
 */
class OpenAiEmbeddingProviderContractTest {

  abstract static class AgainstFakeServer extends EmbeddingProviderContract {
    private MockWebServer server;
    private final FakeOpenAiServer fake = new FakeOpenAiServer().dimensions(64);

    abstract String encodingFormat();

    /** The status the server answers the provoked call with. */
    abstract int failureStatus();

    @Override
    protected EmbeddingProvider createProvider() throws Exception {
      server = new MockWebServer();
      server.setDispatcher(fake);
      server.start();
      return TestProviders.create(
          TestProviders.options(
              server.url("/v1").toString(),
              "openai.dimensions",
              "64",
              "openai.encoding-format",
              encodingFormat(),
              // the contract bounds each call itself (60 s); the default 30 s must not cut it
              // shorter
              "call-timeout",
              "10m"));
    }

    /**
     * The server answers the next request with {@link #failureStatus()}: 5xx is retryable, 4xx not.
     */
    @Override
    protected Optional<ProvokedFailure> provokeFailure() {
      fake.failNext(failureStatus());
      return Optional.of(
          new ProvokedFailure(List.of("the server fails this call"), failureStatus() >= 500));
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

    @Override
    int failureStatus() {
      return 500;
    }
  }

  @Nested
  class FloatVectors extends AgainstFakeServer {
    @Override
    String encodingFormat() {
      return "float";
    }

    @Override
    int failureStatus() {
      return 400;
    }
  }
}

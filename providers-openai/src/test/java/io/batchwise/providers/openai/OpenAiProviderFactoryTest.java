package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery, options and the checks {@code create()} makes before any request is sent. */
class OpenAiProviderFactoryTest {
  private static final String LOCAL =
      "http://127.0.0.1:9/v1"; // never contacted: create() makes no call

  private static EmbeddingProvider create(Map<String, String> options) {
    return new OpenAiProviderFactory()
        .create(TestProviders.context(options, new SimpleMeterRegistry()));
  }

  private static Map<String, String> opts(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  @DisplayName("is found by ServiceLoader as 'openai', and its tokenizers as 'jtokkit'")
  void isDiscovered() {
    assertThat(FactoryRegistry.of(EmbeddingProviderFactory.class).find("openai"))
        .isInstanceOf(OpenAiProviderFactory.class);
    assertThat(FactoryRegistry.of(io.batchwise.spi.TokenizerFactory.class).find("jtokkit"))
        .isInstanceOf(JtokkitTokenizerFactory.class);
  }

  @Test
  @DisplayName("declares every openai.* option, the key as a secret read from OPENAI_API_KEY")
  void declaresOptions() {
    Map<String, ConfigOption<?>> options =
        new OpenAiProviderFactory()
            .options().stream().collect(Collectors.toMap(ConfigOption::key, o -> o));
    assertThat(options.keySet())
        .contains(
            "openai.api-key",
            "openai.base-url",
            "openai.organization",
            "openai.project",
            "openai.model",
            "openai.dimensions",
            "openai.user",
            "openai.encoding-format",
            "openai.azure-deployment",
            "openai.azure-api-version",
            "openai.max-inputs-per-request",
            "openai.max-tokens-per-request",
            "openai.max-tokens-per-input",
            "openai.connect-timeout",
            "openai.read-timeout",
            "openai.call-timeout",
            "openai.requests-per-minute",
            "openai.tokens-per-minute",
            "openai.allow-insecure-http");
    assertThat(options.keySet()).allMatch(k -> k.startsWith("openai."));
    assertThat(options.get("openai.api-key").secret()).isTrue();
    assertThat(options.get("openai.api-key").envAliases()).containsExactly("OPENAI_API_KEY");
    assertThat(options.get("openai.base-url").envAliases()).containsExactly("OPENAI_BASE_URL");
    assertThat(options.get("openai.base-url").defaultText()).isEqualTo("https://api.openai.com/v1");
    assertThat(options.get("openai.model").defaultText()).isEqualTo("text-embedding-3-small");
    assertThat(options.get("openai.encoding-format").defaultText()).isEqualTo("base64");
    assertThat(options.values()).allMatch(o -> !o.description().isBlank());
    assertThat(new OpenAiProviderFactory().models()).first().isEqualTo("text-embedding-3-small");
  }

  @Test
  @DisplayName(
      "declares OpenAI's limits, SINGLE_CALL, FAIL and the cl100k_base tokenizer by default")
  void defaults() {
    try (EmbeddingProvider p = create(opts("openai.api-key", TestProviders.KEY))) {
      assertThat(p.id()).isEqualTo("openai");
      assertThat(p.modelInfo())
          .isEqualTo(
              new ModelInfo(
                  "text-embedding-3-small", 1536, true, 2048, 8191, 300_000, ModelInfo.NO_LIMIT));
      assertThat(p.batchStrategy()).isEqualTo(BatchStrategy.SINGLE_CALL);
      assertThat(p.defaultLimitPolicy()).isEqualTo(LimitPolicy.FAIL);
      assertThat(p.tokenizer().name()).isEqualTo("cl100k_base");
      assertThat(((RemoteEmbeddingProvider) p).callTimeout())
          .as("a little below the core call-timeout of 30 s")
          .isEqualTo(Duration.ofSeconds(28));
    }
  }

  @Test
  @DisplayName("reads the key from OPENAI_API_KEY and the base URL from OPENAI_BASE_URL")
  void readsEnvironmentAliases() {
    Map<String, String> env =
        Map.of(
            "OPENAI_API_KEY", TestProviders.KEY, "OPENAI_BASE_URL", "https://gateway.example/v1");
    Config config = Config.of(Map.of(), TestProviders.known(false), k -> null, env::get);
    try (EmbeddingProvider p =
        new OpenAiProviderFactory()
            .create(
                FactoryContext.of(
                    config,
                    new SimpleMeterRegistry(),
                    TokenizerRegistry.standalone(),
                    ForkJoinPool.commonPool()))) {
      assertThat(p.toString())
          .contains("https://gateway.example/v1/embeddings")
          .doesNotContain(TestProviders.KEY);
    }
  }

  @Test
  @DisplayName("requires a key for api.openai.com, naming OPENAI_API_KEY")
  void requiresKeyForOpenAi() {
    assertThatThrownBy(() -> create(opts()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.api-key")
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  @DisplayName("needs no key for a local server")
  void noKeyForLocalServer() {
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.base-url",
                "http://localhost:11434/v1",
                "openai.model",
                "nomic-embed-text",
                "openai.dimensions",
                "768"))) {
      assertThat(p.modelInfo().dimensions()).isEqualTo(768);
      assertThat(p.modelInfo().normalized()).as("unknown models promise no norm").isFalse();
    }
  }

  @Test
  @DisplayName("refuses to send a key over plain http to a host that is not loopback")
  void insecureHttpGuard() {
    assertThatThrownBy(
            () ->
                create(
                    opts(
                        "openai.base-url",
                        "http://embeddings.internal.example/v1",
                        "openai.api-key",
                        TestProviders.KEY)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("plain http")
        .hasMessageContaining("openai.allow-insecure-http=true")
        .hasMessageContaining("http://embeddings.internal.example/v1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestProviders.KEY));
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.base-url",
                "http://embeddings.internal.example/v1",
                "openai.api-key",
                TestProviders.KEY,
                "openai.allow-insecure-http",
                "true"))) {
      assertThat(p).isNotNull();
    }
    try (EmbeddingProvider p =
        create(opts("openai.base-url", "http://embeddings.internal.example/v1"))) {
      assertThat(p).as("no key, nothing to leak").isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080/v1",
        "http://127.0.0.1:8080/v1",
        "http://127.8.9.10/v1",
        "http://[::1]:8080/v1",
        "http://api.localhost/v1"
      })
  @DisplayName("allows plain http with a key to loopback hosts")
  void loopbackHttpIsFine(String url) {
    try (EmbeddingProvider p =
        create(opts("openai.base-url", url, "openai.api-key", TestProviders.KEY))) {
      assertThat(p).isNotNull();
    }
  }

  @Test
  @DisplayName("never prints user info from the base URL")
  void hidesUserInfo() {
    assertThatThrownBy(
            () ->
                create(
                    opts(
                        "openai.base-url",
                        "http://bob:hunter2@proxy.example/v1",
                        "openai.api-key",
                        TestProviders.KEY)))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    assertThatThrownBy(() -> create(opts("openai.base-url", "not a url://bob:hunter2@x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.base-url")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  @DisplayName("requires openai.dimensions for a model it does not know")
  void unknownModelNeedsDimensions() {
    assertThatThrownBy(() -> create(opts("openai.base-url", LOCAL, "openai.model", "bge-m3")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("bge-m3")
        .hasMessageContaining("openai.dimensions");
  }

  @Test
  @DisplayName("knows each OpenAI model's dimensions and lets text-embedding-3 shorten them")
  void knownModels() {
    try (EmbeddingProvider p =
        create(opts("openai.api-key", "k", "openai.model", "text-embedding-3-large"))) {
      assertThat(p.modelInfo().dimensions()).isEqualTo(3072);
    }
    try (EmbeddingProvider p =
        create(opts("openai.api-key", "k", "openai.model", "text-embedding-ada-002"))) {
      assertThat(p.modelInfo().dimensions()).isEqualTo(1536);
    }
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.api-key",
                "k",
                "openai.model",
                "text-embedding-3-large",
                "openai.dimensions",
                "256"))) {
      assertThat(p.modelInfo().dimensions()).isEqualTo(256);
      assertThat(p.modelInfo().normalized()).isTrue();
    }
    assertThatThrownBy(
            () ->
                create(
                    opts(
                        "openai.api-key",
                        "k",
                        "openai.model",
                        "text-embedding-ada-002",
                        "openai.dimensions",
                        "256")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot shorten");
    assertThatThrownBy(() -> create(opts("openai.api-key", "k", "openai.dimensions", "4096")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.dimensions")
        .hasMessageContaining("[1, 1536]")
        .hasMessageContaining("4096");
  }

  @Test
  @DisplayName("lets the core 'model' option win over openai.model, but not a core default")
  void coreModelWins() {
    Map<String, String> o =
        opts(
            "openai.api-key",
            "k",
            "openai.model",
            "text-embedding-3-small",
            "model",
            "text-embedding-3-large");
    try (EmbeddingProvider p = create(o)) {
      assertThat(p.modelInfo().modelId()).isEqualTo("text-embedding-3-large");
    }
    Map<String, ConfigOption<?>> known = TestProviders.known(false);
    known.put("model", ConfigOption.text("model", "all-minilm-l6-v2", "the model"));
    Config config = Config.of(Map.of("openai.api-key", "k"), known, k -> null, k -> null);
    try (EmbeddingProvider p =
        new OpenAiProviderFactory()
            .create(
                FactoryContext.of(
                    config,
                    new SimpleMeterRegistry(),
                    TokenizerRegistry.standalone(),
                    ForkJoinPool.commonPool()))) {
      assertThat(p.modelInfo().modelId()).isEqualTo("text-embedding-3-small");
    }
  }

  @Test
  @DisplayName("takes call limits and the tokenizer from options, and checks them together")
  void limitsAndTokenizerOverrides() {
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.base-url",
                LOCAL,
                "openai.model",
                "e5",
                "openai.dimensions",
                "1024",
                "openai.max-inputs-per-request",
                "32",
                "openai.max-tokens-per-input",
                "512",
                "openai.max-tokens-per-request",
                "16384",
                "openai.tokenizer",
                "o200k_base"))) {
      assertThat(p.modelInfo())
          .isEqualTo(new ModelInfo("e5", 1024, false, 32, 512, 16384, ModelInfo.NO_LIMIT));
      assertThat(p.tokenizer().name()).isEqualTo("o200k_base");
    }
    assertThatThrownBy(
            () -> create(opts("openai.api-key", "k", "openai.max-tokens-per-request", "100")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.max-tokens-per-request")
        .hasMessageContaining("openai.max-tokens-per-input");
    assertThatThrownBy(() -> create(opts("openai.api-key", "k", "openai.tokenizer", "llama3")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.tokenizer")
        .hasMessageContaining("cl100k_base");
  }

  @Test
  @DisplayName("rejects bad encoding formats, zero timeouts and misconfigured Azure")
  void rejectsBadOptions() {
    assertThatThrownBy(
            () -> create(opts("openai.api-key", "k", "openai.encoding-format", "binary")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("base64 or float");
    assertThatThrownBy(() -> create(opts("openai.api-key", "k", "openai.call-timeout", "0s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.call-timeout");
    assertThatThrownBy(() -> create(opts("openai.api-key", "k", "openai.azure-deployment", "dep")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Azure OpenAI endpoint");
    assertThatThrownBy(
            () ->
                create(
                    opts(
                        "openai.base-url",
                        "https://res.openai.azure.com",
                        "openai.azure-deployment",
                        "dep")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("required for Azure");
    assertThatThrownBy(
            () -> create(opts("openai.api-key", "k", "openai.send-dimensions", "sometimes")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("auto, always or never");
  }

  @Test
  @DisplayName("keeps its call timeout below the core call-timeout, deriving it when unset")
  void callTimeoutBelowTheSchedulers() {
    try (EmbeddingProvider p = create(opts("openai.api-key", "k", "call-timeout", "2m"))) {
      assertThat(((RemoteEmbeddingProvider) p).callTimeout()).isEqualTo(Duration.ofSeconds(118));
    }
    try (EmbeddingProvider p = create(opts("openai.api-key", "k", "call-timeout", "500ms"))) {
      assertThat(((RemoteEmbeddingProvider) p).callTimeout()).isEqualTo(Duration.ofMillis(450));
    }
    try (EmbeddingProvider p = create(opts("openai.api-key", "k", "openai.call-timeout", "20s"))) {
      assertThat(((RemoteEmbeddingProvider) p).callTimeout()).isEqualTo(Duration.ofSeconds(20));
    }
    assertThatThrownBy(() -> create(opts("openai.api-key", "k", "openai.call-timeout", "45s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("openai.call-timeout")
        .hasMessageContaining("'call-timeout' (PT30S)");
    Config standalone =
        Config.of(Map.of("openai.api-key", "k"), TestProviders.known(false), k -> null, k -> null);
    try (EmbeddingProvider p =
        new OpenAiProviderFactory()
            .create(
                FactoryContext.of(
                    standalone,
                    new SimpleMeterRegistry(),
                    TokenizerRegistry.standalone(),
                    ForkJoinPool.commonPool()))) {
      assertThat(((RemoteEmbeddingProvider) p).callTimeout()).isEqualTo(Duration.ofSeconds(60));
    }
  }

  @Test
  @DisplayName("reports the core per-minute limits unless its own are set")
  void perMinuteLimits() {
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.api-key",
                "k",
                "requests-per-minute",
                "3000",
                "tokens-per-minute",
                "1000000"))) {
      RateLimitState s = ((RemoteEmbeddingProvider) p).rateLimits();
      assertThat(s.configuredRequestsPerMinute()).isEqualTo(3000);
      assertThat(s.configuredTokensPerMinute()).isEqualTo(1_000_000);
    }
    try (EmbeddingProvider p =
        create(
            opts(
                "openai.api-key",
                "k",
                "requests-per-minute",
                "3000",
                "openai.requests-per-minute",
                "500"))) {
      assertThat(((RemoteEmbeddingProvider) p).rateLimits().configuredRequestsPerMinute())
          .isEqualTo(500);
    }
  }

  @Test
  @DisplayName("registers its tokenizer in the shared registry")
  void registersTokenizer() {
    TokenizerRegistry tokenizers = TokenizerRegistry.standalone();
    FactoryContext context =
        FactoryContext.of(
            TestProviders.config(opts("openai.api-key", "k")),
            new SimpleMeterRegistry(),
            tokenizers,
            ForkJoinPool.commonPool());
    try (EmbeddingProvider p = new OpenAiProviderFactory().create(context)) {
      assertThat(tokenizers.get("cl100k_base")).isSameAs(p.tokenizer());
      assertThat(p.tokenizer().count("hello world")).isEqualTo(2);
    }
  }
}

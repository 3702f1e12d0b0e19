package io.batchwise.examples.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cache never serves a vector that another setting would have produced differently: for each part
 * of a vector's identity, a run that changes only that part is a miss, and the unchanged
 * configuration is still a hit. Real providers (the local ONNX model read from a directory; the
 * openai provider against two loopback servers that serve different vectors under one model name)
 * and a real SQLite file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorIdentityCacheTest {
  private static final String SHORT = "a short text";
  private static final String LONG =
      "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen";
  private static final List<String> TEXTS = List.of(SHORT, LONG);

  @TempDir static Path dir;

  private EmbeddingsServer serverA;
  private EmbeddingsServer serverB;
  private Path modelDir;

  /**
   * The unchanged configurations, each opened once and embedded through before the components run.
   */
  private final Map<String, Batchwise> baselines = new HashMap<>();

  /**
   * One part of the identity: a baseline configuration, and one that differs from it only in that
   * part (or the same configuration embedding the texts as another input type).
   */
  record Component(
      String name,
      String baseline,
      Supplier<Batchwise> variant,
      Set<Integer> changedInputs,
      Runnable beforeVariant,
      Runnable afterVariant,
      InputType inputType) {
    Component(
        String name,
        String baseline,
        Supplier<Batchwise> variant,
        Set<Integer> changedInputs,
        Runnable beforeVariant,
        Runnable afterVariant) {
      this(name, baseline, variant, changedInputs, beforeVariant, afterVariant, InputType.DOCUMENT);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  void start() throws IOException {
    serverA = new EmbeddingsServer(1);
    serverB = new EmbeddingsServer(2);
    modelDir = dir.resolve("minilm");
    copyResource("all-minilm-l6-v2.onnx", modelDir.resolve("model.onnx"));
    copyResource("all-minilm-l6-v2-tokenizer.json", modelDir.resolve("tokenizer.json"));
    baselines.put("openai", open(openai(Map.of())));
    baselines.put("local", open(local(Map.of())));
    baselines.put("alpha", open(new Named("alpha")));
    for (Batchwise bw : baselines.values()) {
      assertThat(bw.embedder().embedAll(TEXTS).allSucceeded()).isTrue();
    }
  }

  @AfterAll
  void stop() throws IOException {
    baselines.values().forEach(Batchwise::close);
    serverA.close();
    serverB.close();
  }

  Stream<Component> components() {
    Set<Integer> all = Set.of(0, 1);
    Runnable none = () -> {};
    return Stream.of(
        new Component("provider", "alpha", () -> open(new Named("beta")), all, none, none),
        new Component(
            "model",
            "openai",
            () -> open(openai(Map.of("openai.model", "other-model"))),
            all,
            none,
            none),
        new Component(
            "dimensions",
            "openai",
            () -> open(openai(Map.of("openai.dimensions", "4"))),
            all,
            none,
            none),
        new Component(
            "endpoint",
            "openai",
            () -> open(openai(Map.of("openai.base-url", serverB.baseUrl()))),
            all,
            none,
            none),
        new Component(
            "azure deployment",
            "openai",
            () -> open(openai(Map.of("openai.azure-deployment", "embeddings-1"))),
            all,
            none,
            none),
        new Component(
            "truncation limit of a cut input",
            "openai",
            () -> open(openai(Map.of("max-tokens-per-input", "8"))),
            Set.of(1),
            none,
            none),
        new Component(
            "pooling", "local", () -> open(local(Map.of("local.pooling", "cls"))), all, none, none),
        new Component(
            "normalization",
            "local",
            () -> open(local(Map.of("local.normalize", "false"))),
            all,
            none,
            none),
        new Component(
            "input prefix",
            "local",
            () -> open(local(Map.of("local.document-prefix", "passage:"))),
            all,
            none,
            none),
        new Component(
            "input type (local)",
            "local",
            () -> open(local(Map.of())),
            all,
            none,
            none,
            InputType.QUERY),
        new Component(
            "input type (openai)",
            "openai",
            () -> open(openai(Map.of())),
            all,
            none,
            none,
            InputType.QUERY),
        new Component(
            "query prefix",
            "local",
            () -> open(local(Map.of("local.query-prefix", "query:"))),
            all,
            none,
            none),
        new Component(
            "max sequence length",
            "local",
            () -> open(local(Map.of("local.max-sequence-length", "128"))),
            all,
            none,
            none),
        new Component(
            "revision of a directory model",
            "local",
            () -> open(local(Map.of())),
            all,
            () -> rewriteTokenizer(" "),
            () -> rewriteTokenizer("")));
  }

  @ParameterizedTest(name = "changing the {0} is a miss; keeping everything is a hit")
  @MethodSource("components")
  void changingOnePartIsAMissAndKeepingAllIsAHit(Component component) {
    component.beforeVariant().run();
    try (Batchwise variant = component.variant().get()) {
      long sentBefore = serverA.inputs.size() + serverB.inputs.size();
      EmbedResult changed = variant.embedder().embedAll(TEXTS, component.inputType());
      assertThat(changed.allSucceeded()).isTrue();
      for (int i = 0; i < TEXTS.size(); i++) {
        Embedding e = changed.embeddings().get(i);
        assertThat(e.cacheHit())
            .as("input %d with the %s changed", i, component.name())
            .isEqualTo(!component.changedInputs().contains(i));
      }
      if (component.baseline().equals("openai")) {
        assertThat(serverA.inputs.size() + serverB.inputs.size() - sentBefore)
            .as("inputs the servers were sent")
            .isEqualTo(component.changedInputs().size());
      }
    } finally {
      component.afterVariant().run();
    }
    EmbedResult kept = baselines.get(component.baseline()).embedder().embedAll(TEXTS);
    assertThat(kept.embeddings()).allMatch(Embedding::cacheHit);
    assertThat(kept.usage().providerCalls()).isZero();
    if (component.name().startsWith("revision")) {
      // the files are as they were: a new instance computes the same revision and hits
      try (Batchwise again = open(local(Map.of()))) {
        assertThat(again.embedder().embedAll(TEXTS).embeddings()).allMatch(Embedding::cacheHit);
      }
    }
  }

  private Batchwise.Builder builder() {
    return Batchwise.builder()
        .cache("sqlite")
        .option("cache.path", dir.resolve("cache.db").toString())
        .sources(new Properties(), Map.of());
  }

  private Batchwise open(Batchwise.Builder builder) {
    return builder.build();
  }

  private Batchwise open(EmbeddingProvider provider) {
    return builder().provider(provider).build();
  }

  private Batchwise.Builder openai(Map<String, String> changes) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("openai.base-url", serverA.baseUrl());
    options.put("openai.api-key", "sk-test-not-a-real-key");
    options.put("openai.model", "shared-name");
    options.put("openai.dimensions", "8");
    options.put("openai.send-dimensions", "always");
    options.put("limit-policy", "truncate");
    options.putAll(changes);
    return builder().provider("openai").options(options);
  }

  private Batchwise.Builder local(Map<String, String> changes) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("local.model-dir", modelDir.toString());
    options.putAll(changes);
    return builder().provider("local").options(options);
  }

  /**
   * Rewrites tokenizer.json with the same meaning and other bytes (a trailing suffix), with a new
   * time stamp.
   */
  private void rewriteTokenizer(String suffix) {
    Path file = modelDir.resolve("tokenizer.json");
    try {
      String json = Files.readString(file, StandardCharsets.UTF_8).stripTrailing() + suffix;
      FileTime before = Files.getLastModifiedTime(file);
      Files.writeString(file, json, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 10_000));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyResource(String resource, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in =
        VectorIdentityCacheTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, target);
    }
  }

  /** A provider whose only difference from another is its id: same model info, same vectors. */
  private static final class Named implements EmbeddingProvider {
    private final String id;
    private final FakeEmbeddingProvider vectors = FakeEmbeddingProvider.small();

    Named(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public ModelInfo modelInfo() {
      return vectors.modelInfo();
    }

    @Override
    public Tokenizer tokenizer() {
      return vectors.tokenizer();
    }

    @Override
    public BatchStrategy batchStrategy() {
      return BatchStrategy.SINGLE_CALL;
    }

    @Override
    public LimitPolicy defaultLimitPolicy() {
      return LimitPolicy.TRUNCATE;
    }

    @Override
    public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
      return vectors.embed(new ArrayList<>(texts), context);
    }
  }
}

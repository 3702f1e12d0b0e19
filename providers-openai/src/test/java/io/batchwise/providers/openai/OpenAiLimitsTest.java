package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random input sizes, packed as the pipeline's SINGLE_CALL strategy packs them and sent
 * concurrently: no request the server sees breaks the declared limits (it counts tokens itself,
 * with tiktoken), the provider's token counts equal the server's, and the number of requests is the
 * fewest the limits allow.
 */
class OpenAiLimitsTest {
  private static final String[] WORDS = {
    "the",
    "embedding",
    "of",
    "batch",
    "token",
    "数据",
    "request",
    "limit",
    "vector",
    "🚀",
    "model",
    "compute",
    "naïve",
    "throughput",
    "2048",
    "latency",
    "and",
    "parallel",
    "rate",
    "window"
  };

  private MockWebServer server;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Options for the server, with a call timeout long enough for requests of up to 300,000 tokens
   * that the server counts itself, sent all at once, on a busy machine.
   */
  private Map<String, String> options(String... more) {
    Map<String, String> o = TestProviders.options(server.url("/v1").toString(), more);
    o.put("call-timeout", "10m");
    return o;
  }

  private static String text(SplittableRandom random, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  /** Sends every pack at once, as the scheduler would, and checks all vectors. */
  private List<CompletableFuture<List<float[]>>> sendAll(
      RemoteEmbeddingProvider provider, List<String> texts, List<SingleCallPacker.Pack> packs)
      throws Exception {
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>();
    for (SingleCallPacker.Pack pack : packs) {
      calls.add(
          provider.embed(
              pack.indexes().stream().map(texts::get).toList(),
              CallContext.of(InputType.DOCUMENT)));
    }
    for (int p = 0; p < packs.size(); p++) {
      List<float[]> vectors = calls.get(p).get(10, TimeUnit.MINUTES);
      List<Integer> indexes = packs.get(p).indexes();
      assertThat(vectors).hasSize(indexes.size());
      for (int k = 0; k < indexes.size(); k++) {
        assertThat(vectors.get(k))
            .containsExactly(FakeOpenAiServer.vectorFor(texts.get(indexes.get(k)), 8));
      }
    }
    return calls;
  }

  private void assertEveryRequestWithin(ModelInfo limits) {
    for (FakeOpenAiServer.Seen s : fake.seen()) {
      assertThat(s.inputs()).isBetween(1, limits.maxInputsPerCall());
      assertThat(s.tokens()).isLessThanOrEqualTo(limits.maxTokensPerCall());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  @DisplayName(
      "keeps every request within small limits, with the fewest requests, for random sizes")
  void randomSizesWithinSmallLimits(long seed) throws Exception {
    try (RemoteEmbeddingProvider provider =
        TestProviders.create(
            options(
                "openai.max-inputs-per-request", "50",
                "openai.max-tokens-per-request", "2000",
                "openai.max-tokens-per-input", "400"))) {
      SplittableRandom random = new SplittableRandom(seed);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        // mostly short chunks, a long tail up to and past the per-input limit
        int words = random.nextInt(10) == 0 ? 100 + random.nextInt(300) : 1 + random.nextInt(40);
        texts.add(text(random, words));
      }
      Tokenizer tokenizer = provider.tokenizer();
      int[] counts = texts.stream().mapToInt(tokenizer::count).toArray();
      ModelInfo limits = provider.modelInfo();
      List<SingleCallPacker.Pack> packs = SingleCallPacker.pack(counts, limits);

      sendAll(provider, texts, packs);

      assertThat(server.getRequestCount()).isEqualTo(packs.size());
      assertEveryRequestWithin(limits);
      // the server's tiktoken count of each request equals the provider's
      assertThat(fake.seen().stream().map(FakeOpenAiServer.Seen::tokens).sorted().toList())
          .isEqualTo(packs.stream().map(SingleCallPacker.Pack::tokens).sorted().toList());
      // fewest requests: every cut is forced — the next input would have broken a limit
      for (int p = 0; p + 1 < packs.size(); p++) {
        SingleCallPacker.Pack pack = packs.get(p);
        int next = counts[packs.get(p + 1).indexes().get(0)];
        assertThat(
                pack.indexes().size() == limits.maxInputsPerCall()
                    || pack.tokens() + next > limits.maxTokensPerCall())
            .as("cut after call %d is forced", p)
            .isTrue();
      }
      long sendable = Arrays.stream(counts).filter(c -> c <= limits.maxTokensPerInput()).count();
      long tokens =
          Arrays.stream(counts).filter(c -> c <= limits.maxTokensPerInput()).asLongStream().sum();
      assertThat((long) packs.size())
          .isGreaterThanOrEqualTo(
              Math.max(
                  ceilDiv(sendable, limits.maxInputsPerCall()),
                  ceilDiv(tokens, limits.maxTokensPerCall())));
      assertThat(packs.stream().mapToInt(p -> p.indexes().size()).sum()).isEqualTo((int) sendable);
    }
  }

  @Test
  @DisplayName("fills requests up to OpenAI's 2,048 inputs: 5,000 short texts take 3 requests")
  void inputBoundAtDefaultLimits() throws Exception {
    try (RemoteEmbeddingProvider provider = TestProviders.create(options())) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        texts.add("short text " + i);
      }
      int[] counts = texts.stream().mapToInt(provider.tokenizer()::count).toArray();
      List<SingleCallPacker.Pack> packs = SingleCallPacker.pack(counts, provider.modelInfo());
      sendAll(provider, texts, packs);
      assertThat(
              fake.seen().stream()
                  .map(FakeOpenAiServer.Seen::inputs)
                  .sorted(Comparator.reverseOrder())
                  .toList())
          .containsExactly(2048, 2048, 904);
    }
  }

  @Test
  @DisplayName("keeps requests under OpenAI's 300,000 tokens when long inputs bind first")
  void tokenBoundAtDefaultLimits() throws Exception {
    try (RemoteEmbeddingProvider provider = TestProviders.create(options())) {
      SplittableRandom random = new SplittableRandom(11);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 160; i++) {
        texts.add(text(random, 2000 + random.nextInt(3000)));
      }
      int[] counts = texts.stream().mapToInt(provider.tokenizer()::count).toArray();
      long total = Arrays.stream(counts).asLongStream().sum();
      List<SingleCallPacker.Pack> packs = SingleCallPacker.pack(counts, provider.modelInfo());
      sendAll(provider, texts, packs);
      assertEveryRequestWithin(provider.modelInfo());
      assertThat(server.getRequestCount())
          .isEqualTo(packs.size())
          .isGreaterThanOrEqualTo((int) ceilDiv(total, 300_000));
      assertThat(fake.seen()).allMatch(s -> s.inputs() < 2048);
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}

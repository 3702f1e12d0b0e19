package io.batchwise.langchain4j;

import static io.batchwise.testkit.EmbeddingProviderContract.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.scheduler.Packers;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.batchwise.testing.WhitespaceTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A LangChain4j model as a Batchwise provider: LangChain4j's own in-process all-MiniLM-L6-v2 model,
 * and small models written against LangChain4j's interface the way a user writes one, that fail the
 * way LangChain4j's hosted models do (its exception classes).
 */
class LangChain4jProviderTest {
  /**
   * LangChain4j's model, loaded once for the class; its calls are counted by a LangChain4j
   * listener.
   */
  private static final AllMiniLmL6V2EmbeddingModel MINILM = new AllMiniLmL6V2EmbeddingModel();

  private static Batchwise batchwise(LangChain4jProvider provider, String... options) {
    Batchwise.Builder b =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider(provider)
            .cache("caffeine");
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    return b.build();
  }

  /** The sizes of the calls a model received, recorded by LangChain4j's listener. */
  private static final class CallSizes implements EmbeddingModelListener {
    final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onRequest(EmbeddingModelRequestContext request) {
      sizes.add(request.textSegments().size());
    }
  }

  private static List<String> texts(int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // lengths from 3 to 60 words: packing by item count ignores them
      texts.add(("sentence " + i + " about topic " + (i % 7) + " ").repeat(1 + i % 12).trim());
    }
    return texts;
  }

  @Test
  @DisplayName(
      "LangChain4j's all-MiniLM-L6-v2 behind Batchwise: the same vectors, and a second run served from the cache with zero calls")
  void secondRunIsServedFromTheCache() {
    CallSizes calls = new CallSizes();
    EmbeddingModel listened = MINILM.addListener(calls);
    List<String> texts = new ArrayList<>(texts(150));
    texts.addAll(texts.subList(0, 20)); // duplicates: embedded once
    try (LangChain4jProvider provider =
            LangChain4jProvider.builder(listened).normalized(true).build();
        Batchwise bw = batchwise(provider)) {
      EmbedResult first = bw.embedder().embedAll(texts);
      assertThat(first.allSucceeded()).isTrue();
      int[] ones = new int[150];
      Arrays.fill(ones, 1);
      int predicted = Packers.singleCall(ones, 64, 64).size();
      assertThat(predicted).isEqualTo(3);
      assertThat(first.usage().providerCalls()).isEqualTo(predicted);
      assertThat(calls.sizes)
          .as("texts per call of the LangChain4j model")
          .hasSize(predicted)
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(64));
      assertThat(calls.sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(150);
      for (int i : new int[] {0, 77, 149, 165}) {
        float[] direct = MINILM.embed(texts.get(i)).content().vector();
        assertThat(cosine(first.embeddings().get(i).vector(), direct))
            .as("text %d", i)
            .isCloseTo(1.0, within(1e-5));
      }

      calls.sizes.clear();
      EmbedResult second = bw.embedder().embedAll(texts);
      assertThat(second.usage().providerCalls()).isZero();
      assertThat(second.usage().cacheHits()).isEqualTo(150);
      assertThat(calls.sizes).as("calls of the LangChain4j model on the second run").isEmpty();
      for (int i = 0; i < texts.size(); i++) {
        assertThat(second.embeddings().get(i).vector())
            .containsExactly(first.embeddings().get(i).vector());
      }
    }
  }

  @Test
  @DisplayName(
      "the provider declares the model's name, dimensions and class, and packs by item count")
  void declaresTheModel() {
    try (LangChain4jProvider provider =
        LangChain4jProvider.builder(MINILM)
            .maxInputsPerCall(10)
            .identity("endpoint", "in-process")
            .build()) {
      assertThat(provider.modelInfo().dimensions()).isEqualTo(384);
      assertThat(provider.modelInfo().maxInputsPerCall()).isEqualTo(10);
      assertThat(provider.modelInfo().maxTokensPerCall()).isEqualTo(10);
      assertThat(provider.identity().providerId()).isEqualTo("langchain4j");
      assertThat(provider.identity().attribute(LangChain4jProvider.MODEL_CLASS))
          .contains(MINILM.getClass().getName());
      assertThat(provider.identity().attribute("endpoint")).contains("in-process");
      assertThat(provider.tokenizer().count("a long text of many words, all one item"))
          .isEqualTo(1);
      assertThat(provider.modelInfo().modelId()).isNotBlank().isNotEqualTo("unknown");
    }
  }

  @Test
  @DisplayName("a rate-limited call is retried by Batchwise's scheduler, once, and then succeeds")
  void rateLimitIsRetriedByTheScheduler() {
    AtomicInteger attempts = new AtomicInteger();
    EmbeddingModel flaky =
        new TextModel(
            text -> {
              if (attempts.incrementAndGet() == 1) {
                throw new RateLimitException("429: slow down");
              }
              return new float[] {text.length(), 1};
            });
    try (LangChain4jProvider provider = LangChain4jProvider.of(flaky);
        Batchwise bw = batchwise(provider)) {
      EmbedResult result = bw.embedder().embedAll(List.of("abc"));
      assertThat(result.vectors().get(0)).containsExactly(3f, 1f);
      assertThat(result.usage().retries()).isEqualTo(1);
      assertThat(result.usage().providerCalls()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "a call the model refuses fails its own inputs only, without a retry; the message names LangChain4j's exception")
  void permanentFailureIsIsolatedAndNotRetried() {
    EmbeddingModel picky =
        new TextModel(
            text -> {
              if (text.contains("poison")) {
                throw new InvalidRequestException("400: input rejected");
              }
              return new float[] {text.length(), 1};
            });
    try (LangChain4jProvider provider =
            LangChain4jProvider.builder(picky).maxInputsPerCall(1).build();
        Batchwise bw = batchwise(provider)) {
      EmbedResult result = bw.embedder().embedAll(List.of("fine", "poison pill", "also fine"));
      assertThat(result.embeddings().get(0).vector()).containsExactly(4f, 1f);
      assertThat(result.embeddings().get(2).vector()).containsExactly(9f, 1f);
      assertThat(result.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.index()).isEqualTo(1);
                assertThat(f.error())
                    .hasMessageContaining("input 1")
                    .hasMessageContaining("InvalidRequestException")
                    .hasMessageContaining("400: input rejected");
              });
      assertThat(result.usage().retries()).isZero();
      assertThat(result.usage().providerCalls()).isEqualTo(3);
    }
  }

  @Test
  @DisplayName(
      "LangChain4j's exceptions are classified: rate limits, retriable, HTTP 5xx/429/408 and I/O retry; the rest do not")
  void failuresAreClassified() {
    EmbeddingModel m = MINILM;
    CallFailedException rate = LangChain4jFailures.classify(m, new RateLimitException("429"));
    assertThat(rate.isRetryable()).isTrue();
    assertThat(rate.isRateLimited()).isTrue();
    assertThat(
            LangChain4jFailures.classify(m, new dev.langchain4j.exception.TimeoutException("slow"))
                .isRetryable())
        .isTrue();
    assertThat(
            LangChain4jFailures.classify(m, new RuntimeException(new HttpException(503, "busy")))
                .isRetryable())
        .isTrue();
    assertThat(LangChain4jFailures.classify(m, new HttpException(429, "busy")).isRateLimited())
        .isTrue();
    assertThat(
            LangChain4jFailures.classify(m, new HttpException(404, "no such model")).isRetryable())
        .isFalse();
    assertThat(
            LangChain4jFailures.classify(
                    m, new java.io.UncheckedIOException(new java.io.IOException("reset")))
                .isRetryable())
        .isTrue();
    assertThat(
            LangChain4jFailures.classify(
                    m, new InvalidRequestException(new HttpException(500, "odd")))
                .isRetryable())
        .as("LangChain4j's own classification wins over the status of its cause")
        .isFalse();
    assertThat(LangChain4jFailures.classify(m, new IllegalStateException("bug")).isRetryable())
        .isFalse();
  }

  @Test
  @DisplayName(
      "with a tokenizer it packs by tokens and fails an input over the limit before any call, naming it")
  void packsByTokensWithATokenizer() {
    CallSizes calls = new CallSizes();
    EmbeddingModel counted =
        new TextModel(text -> new float[] {text.length(), 1}).addListener(calls);
    try (LangChain4jProvider provider =
            LangChain4jProvider.builder(counted)
                .maxInputsPerCall(100)
                .tokenizer(new WhitespaceTokenizer(), 8, 12)
                .build();
        Batchwise bw = batchwise(provider)) {
      List<String> texts =
          List.of(
              "one two three four five",
              "six seven eight nine ten",
              "a b c d e f g h i j",
              "eleven twelve",
              "thirteen fourteen fifteen sixteen seventeen");
      EmbedResult result = bw.embedder().embedAll(texts);
      assertThat(result.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.index()).isEqualTo(2);
                assertThat(f.error()).hasMessageContaining("input 2").hasMessageContaining("8");
              });
      int[] tokens = {5, 5, 2, 5};
      int predicted = Packers.singleCall(tokens, 100, 12).size();
      assertThat(predicted).isEqualTo(2);
      assertThat(calls.sizes).hasSize(predicted);
      assertThat(calls.sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
    }
  }

  @Test
  @DisplayName(
      "a cancelled call interrupts the model's blocking call; after close() calls fail at once")
  void cancelInterruptsAndCloseRejects() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    EmbeddingModel blocking =
        new TextModel(
            text -> {
              started.countDown();
              try {
                new CountDownLatch(1).await(); // until interrupted
              } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
              }
              return new float[] {1, 1};
            });
    LangChain4jProvider provider = LangChain4jProvider.of(blocking);
    var call = provider.embed(List.of("wait"), CallContext.of(InputType.DOCUMENT));
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    call.cancel(true);
    assertThat(interrupted.await(60, TimeUnit.SECONDS))
        .as("the model's thread was interrupted")
        .isTrue();
    assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);

    provider.close();
    provider.close();
    assertThatThrownBy(
            () -> provider.embed(List.of("late"), CallContext.of(InputType.DOCUMENT)).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            CallFailedException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("closed");
  }

  /** A model as a user writes one against LangChain4j's interface: one function of each text. */
  @Test
  @DisplayName(
      "a wrapped model that supports INPUT_TYPE gets each call's input type: queries and documents embedded as such, cached apart")
  void sendsTheInputTypeToAModelThatSupportsIt() {
    InstructedModel model = new InstructedModel();
    List<String> documents =
        List.of("The Eiffel Tower is 330 metres tall.", "Rust has no garbage collector.");
    String question = "How tall is the Eiffel Tower?";
    try (LangChain4jProvider provider = LangChain4jProvider.of(model);
        Batchwise bw = batchwise(provider)) {
      EmbedResult docs = bw.embedder().embedAll(documents);
      float[] query = bw.embedder().embedQuery(question);
      float[] sameTextAsQuery =
          bw.embedder().embedAll(List.of(documents.get(0)), InputType.QUERY).vectors().get(0);

      assertThat(model.seen)
          .containsExactly(
              EmbeddingInputType.DOCUMENT + " " + documents,
              EmbeddingInputType.QUERY + " " + List.of(question),
              EmbeddingInputType.QUERY + " " + List.of(documents.get(0)));
      // the vectors are the instructed model's: LangChain4j's MiniLM on the prefixed text
      assertThat(
              cosine(
                  docs.vectors().get(0),
                  MINILM.embed("passage: " + documents.get(0)).content().vector()))
          .isCloseTo(1.0, within(1e-5));
      assertThat(cosine(query, MINILM.embed("query: " + question).content().vector()))
          .isCloseTo(1.0, within(1e-5));
      // a document's vector as a query is another vector, not the cached document one
      assertThat(cosine(sameTextAsQuery, docs.vectors().get(0))).isLessThan(0.9999);
    }
  }

  /**
   * A model that takes LangChain4j's {@code INPUT_TYPE} request parameter, as E5-style models are
   * used: LangChain4j's MiniLM on the text prefixed with {@code query: } or {@code passage: }. It
   * records each request's input type and texts.
   */
  private static final class InstructedModel implements EmbeddingModel {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
      return Set.of(EmbeddingRequestParameters.INPUT_TYPE);
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
      List<String> texts = request.inputs().stream().map(EmbeddingInput::text).toList();
      seen.add(request.inputType() + " " + texts);
      String prefix = request.inputType() == EmbeddingInputType.QUERY ? "query: " : "passage: ";
      List<TextSegment> prefixed = texts.stream().map(t -> TextSegment.from(prefix + t)).toList();
      return EmbeddingResponse.builder().embeddings(MINILM.embedAll(prefixed).content()).build();
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      throw new AssertionError(
          "a model that supports INPUT_TYPE is called with an EmbeddingRequest");
    }

    @Override
    public int dimension() {
      return 384;
    }

    @Override
    public String modelName() {
      return "instructed-minilm";
    }
  }

  private static final class TextModel implements EmbeddingModel {
    private final Function<String, float[]> embed;

    TextModel(Function<String, float[]> embed) {
      this.embed = embed;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      return Response.from(
          segments.stream().map(s -> Embedding.from(embed.apply(s.text()))).toList());
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public String modelName() {
      return "text-model";
    }
  }
}

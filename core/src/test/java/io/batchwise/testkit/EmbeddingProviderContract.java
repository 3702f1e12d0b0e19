package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmbeddingProvider} must honour, checked through what the pipeline
 * calls: {@link EmbeddingProvider#embed(List, CallContext)}. Extend it, implement {@link
 * #createProvider()} (and {@link #provokeFailure()} where something can make your provider fail),
 * and every rule below runs against your provider (in-process models, HTTP providers against a
 * loopback server, and the custom-provider example alike).
 *
 * <p>The rules: the model info is valid; one call returns one vector per text, in order, of the
 * declared dimensions, for documents and for queries; normalized providers return unit vectors; the
 * same text gives the same vector; progress is reported at most once per call; a call at the
 * declared input limit works; concurrent calls are safe; a failure arrives as a classified {@link
 * CallFailedException}; a call whose context is already cancelled is not answered; the tokenizer
 * counts consistently with its own encoding, where it encodes; close is idempotent.
 */
public abstract class EmbeddingProviderContract {
  /** The context of a plain call: documents, nobody listening, never cancelled. */
  private static final CallContext DOCUMENT = CallContext.of(InputType.DOCUMENT);

  /** The provider under test, created before each test and closed after it. */
  protected EmbeddingProvider provider;

  /**
   * Creates a fresh provider for one test.
   *
   * @return the provider
   * @throws Exception when it cannot be created
   */
  protected abstract EmbeddingProvider createProvider() throws Exception;

  /**
   * A call the provider under test fails, and how the failure must be classified.
   *
   * @param texts what to send (as documents)
   * @param retryable whether the {@link CallFailedException} must say the call may be retried
   */
  protected record ProvokedFailure(List<String> texts, boolean retryable) {
    /** Copies the texts (which may hold a null, to provoke a provider that rejects one). */
    public ProvokedFailure {
      texts = Collections.unmodifiableList(new ArrayList<>(texts));
    }
  }

  /**
   * Sets up a call that the provider under test fails, for the rule that failures arrive
   * classified: for an HTTP provider, make its loopback server answer the next request with a 500
   * (retryable) or a 400 (not); for an in-process model, an input longer than the model's
   * positions; for a provider that can only fail on input the pipeline never sends, a {@code null}
   * text. The rule sends the texts and checks that the returned future fails — never hangs, never
   * answers — with a {@link CallFailedException} of the declared classification, not another
   * exception (which the scheduler could only treat as permanent).
   *
   * <p>Called after {@link #createProvider()}, once per run of the rule. The default returns empty:
   * the rule is then skipped (reported as an aborted test), so override it unless nothing at all
   * can make your provider fail.
   *
   * @return the call to send, or empty when nothing makes this provider fail
   * @throws Exception when it cannot be set up
   */
  protected Optional<ProvokedFailure> provokeFailure() throws Exception {
    return Optional.empty();
  }

  /**
   * How many inputs the "at the limit" test sends; providers with huge limits may lower it.
   *
   * @return a number between 1 and {@link ModelInfo#maxInputsPerCall()}
   */
  protected int inputsForLimitTest() {
    return Math.min(provider.modelInfo().maxInputsPerCall(), 64);
  }

  /** Opens the provider. */
  @BeforeEach
  void openProvider() throws Exception {
    provider = createProvider();
  }

  /** Closes the provider. */
  @AfterEach
  void closeProvider() {
    if (provider != null) {
      provider.close();
    }
  }

  private List<float[]> embed(List<String> texts) throws Exception {
    return provider.embed(texts, DOCUMENT).get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("declares a valid id, model, tokenizer and strategy")
  void declaresItsShape() {
    assertThat(provider.id()).isNotBlank().isEqualTo(provider.id().toLowerCase(Locale.ROOT));
    ModelInfo info = provider.modelInfo();
    assertThat(info.dimensions()).isPositive();
    assertThat(provider.tokenizer()).isNotNull();
    assertThat(provider.batchStrategy()).isNotNull();
    assertThat(provider.defaultLimitPolicy()).isNotNull();
  }

  @Test
  @DisplayName("returns one vector per text, in order, of the declared dimensions")
  void returnsOneVectorPerTextInOrder() throws Exception {
    List<String> texts =
        List.of("the cat sat on the mat", "stock markets fell sharply", "a recipe for bread");
    List<float[]> vectors = embed(texts);
    assertThat(vectors).hasSize(texts.size());
    for (float[] v : vectors) {
      assertThat(v).hasSize(provider.modelInfo().dimensions());
    }
    // order: each text embedded alone gives the vector at its own position
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embed(List.of(texts.get(i))).get(0);
      assertThat(cosine(alone, vectors.get(i))).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  @DisplayName("embeds queries too: one vector per text, in order, of the declared dimensions")
  void embedsQueries() throws Exception {
    List<String> texts = List.of("which cat sat on the mat", "why did markets fall");
    List<float[]> vectors =
        provider.embed(texts, CallContext.of(InputType.QUERY)).get(60, TimeUnit.SECONDS);
    assertThat(vectors)
        .hasSize(texts.size())
        .allSatisfy(v -> assertThat(v).hasSize(provider.modelInfo().dimensions()));
    float[] alone =
        provider
            .embed(List.of(texts.get(1)), CallContext.of(InputType.QUERY))
            .get(60, TimeUnit.SECONDS)
            .get(0);
    assertThat(cosine(alone, vectors.get(1))).isCloseTo(1.0, within(1e-4));
  }

  @Test
  @DisplayName(
      "fails a call it cannot answer with a classified CallFailedException (see provokeFailure())")
  void failuresArriveClassified() throws Exception {
    Optional<ProvokedFailure> provoked = provokeFailure();
    Assumptions.assumeTrue(
        provoked.isPresent(),
        "provokeFailure() is not overridden: nothing is known to make this provider fail");
    CompletableFuture<List<float[]>> call;
    try {
      call = provider.embed(provoked.get().texts(), DOCUMENT);
    } catch (RuntimeException e) {
      throw new AssertionError("embed must return a failed future, not throw", e);
    }
    assertThat(call).as("embed returned a future").isNotNull();
    Throwable failure = catchThrowable(() -> call.get(60, TimeUnit.SECONDS));
    assertThat(failure).as("the provoked call must fail").isInstanceOf(ExecutionException.class);
    Throwable cause = failure.getCause();
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertThat(cause)
        .as("the failure the scheduler classifies")
        .isInstanceOf(CallFailedException.class);
    assertThat(((CallFailedException) cause).isRetryable())
        .as("retryable, per provokeFailure()")
        .isEqualTo(provoked.get().retryable());
  }

  @Test
  @DisplayName(
      "does not answer a call whose context is already cancelled: the future is cancelled or failed")
  void aCancelledContextIsNotAnswered() {
    CallContext cancelled = CallContext.of(InputType.DOCUMENT, () -> {}, () -> true);
    CompletableFuture<List<float[]>> call =
        provider.embed(List.of("nobody waits for this"), cancelled);
    Throwable failure = catchThrowable(() -> call.get(60, TimeUnit.SECONDS));
    assertThat(failure)
        .as("a call nobody waits for must not be computed and answered")
        .isNotNull()
        .isNotInstanceOf(TimeoutException.class);
    if (!call.isCancelled()) {
      Throwable cause = failure.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause).isInstanceOfAny(CancellationException.class, CallFailedException.class);
    }
  }

  @Test
  @DisplayName("returns unit vectors when it declares them normalized")
  void normalizedMeansUnitLength() throws Exception {
    if (!provider.modelInfo().normalized()) {
      return; // nothing is promised about the norm
    }
    for (float[] v : embed(List.of("one", "two words", "three words here"))) {
      assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  @DisplayName("gives the same vector for the same text")
  void isDeterministic() throws Exception {
    float[] a = embed(List.of("determinism matters")).get(0);
    float[] b = embed(List.of("determinism matters")).get(0);
    assertThat(cosine(a, b)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  @DisplayName(
      "embeds the same with progress reporting as without, and reports an answer at most once")
  void progressReportingEmbedsTheSame() throws Exception {
    List<String> texts = List.of("progress one", "progress two");
    AtomicInteger answered = new AtomicInteger();
    CallContext listening =
        CallContext.of(InputType.DOCUMENT, answered::incrementAndGet, () -> false);
    List<float[]> withProgress = provider.embed(texts, listening).get(60, TimeUnit.SECONDS);
    List<float[]> plain = embed(texts);
    assertThat(withProgress).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(cosine(withProgress.get(i), plain.get(i)))
          .as("text %d", i)
          .isCloseTo(1.0, within(1e-6));
    }
    assertThat(answered.get()).isBetween(0, 1);
  }

  @Test
  @DisplayName("accepts a call at its declared input limit")
  void acceptsACallAtTheLimit() throws Exception {
    int n = inputsForLimitTest();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("input number " + i);
    }
    assertThat(embed(texts)).hasSize(n);
  }

  @Test
  @DisplayName("serves concurrent calls correctly")
  void isThreadSafe() throws Exception {
    List<CompletableFuture<List<float[]>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(provider.embed(List.of("concurrent call " + i, "second text " + i), DOCUMENT));
    }
    for (CompletableFuture<List<float[]>> call : calls) {
      assertThat(call.get(60, TimeUnit.SECONDS)).hasSize(2);
    }
    float[] alone = embed(List.of("concurrent call 3")).get(0);
    assertThat(cosine(alone, calls.get(3).get().get(0))).isCloseTo(1.0, within(1e-4));
  }

  @Test
  @DisplayName(
      "counts tokens consistently with its own encoding, when it encodes, and truncates within the limit")
  void tokenizerIsConsistent() {
    var tokenizer = provider.tokenizer();
    String text = "Tokenizers count what models see.";
    assertThat(tokenizer.count(text)).isPositive();
    if (TokenizerContract.encodes(tokenizer)) { // encoding is optional
      assertThat(tokenizer.count(text)).isEqualTo(tokenizer.encode(text).length);
    }
    assertThat(tokenizer.count(tokenizer.truncate(text, 3))).isLessThanOrEqualTo(3);
  }

  @Test
  @DisplayName(
      "prepare() may be called many times, from other threads too, and calls after it embed the same")
  void prepareIsRepeatableAndHarmless() throws Exception {
    float[] before = embed(List.of("prepared or not")).get(0);
    provider.prepare();
    Thread other = new Thread(provider::prepare);
    other.start();
    provider.prepare();
    other.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(other.isAlive()).as("prepare() returns").isFalse();
    float[] after = embed(List.of("prepared or not")).get(0);
    assertThat(cosine(before, after)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  @DisplayName("can be closed twice")
  void closeIsIdempotent() {
    provider.close();
    provider.close();
    provider = null;
  }

  /**
   * Cosine similarity of two vectors.
   *
   * @param a one vector
   * @param b another of the same length
   * @return the cosine, in [-1, 1]
   */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /**
   * The L2 norm of a vector.
   *
   * @param v the vector
   * @return its length
   */
  public static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}

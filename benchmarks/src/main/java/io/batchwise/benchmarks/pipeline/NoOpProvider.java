package io.batchwise.benchmarks.pipeline;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The no-op provider of the {@code pipeline} section over this version's SPI: it answers every call
 * at once with one constant vector per text, and its tokenizer counts a token per four characters.
 * {@code benchmarks/baseline/NoOpProvider.java} is the same provider over the baseline's SPI, built
 * by {@code build-baseline.sh}: each side runs a plain class of its own SPI, with no reflection on
 * its path, so the section measures the pipelines and not the adapters (a proxy answering both SPIs
 * by reflection boxed the current SPI's per-text limit and made its {@code TokenFit} reflectively,
 * a cost only that side paid).
 *
 * <p>{@value #MAX_INPUTS_PER_CALL} inputs per call ({@code SINGLE_CALL}), {@value
 * #MAX_TOKENS_PER_INPUT} tokens per input, {@value #MAX_TOKENS_PER_CALL} per call, no micro-batch
 * budget. Thread-safe and stateless; the section creates it by name in each version's class loader.
 */
public final class NoOpProvider implements EmbeddingProvider {
  /** The vectors' length. */
  static final int DIMENSIONS = 8;

  static final int MAX_INPUTS_PER_CALL = 2048;
  static final int MAX_TOKENS_PER_INPUT = 512;
  static final int MAX_TOKENS_PER_CALL = 300_000;

  private static final ModelInfo MODEL =
      new ModelInfo(
          "noop",
          DIMENSIONS,
          false,
          MAX_INPUTS_PER_CALL,
          MAX_TOKENS_PER_INPUT,
          MAX_TOKENS_PER_CALL,
          Integer.MAX_VALUE);

  private final float[] vector = new float[DIMENSIONS];
  private final Tokenizer tokenizer = new CharsTokenizer();

  /** Creates the provider. */
  public NoOpProvider() {
    Arrays.fill(vector, 0.5f);
  }

  @Override
  public String id() {
    return "noop";
  }

  @Override
  public ModelInfo modelInfo() {
    return MODEL;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public BatchStrategy batchStrategy() {
    return BatchStrategy.SINGLE_CALL;
  }

  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(vector);
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public String toString() {
    return "no-op provider";
  }

  /**
   * A token per four characters; the pipeline asks the SPI's default {@code fit} per text, which
   * counts a text within the limit once.
   */
  private static final class CharsTokenizer implements Tokenizer {
    @Override
    public String name() {
      return "noop-chars4";
    }

    @Override
    public int count(String text) {
      return text.length() / 4 + 1;
    }

    @Override
    public String truncate(String text, int maxTokens) {
      return text.substring(0, Math.min(text.length(), 4 * maxTokens));
    }
  }
}

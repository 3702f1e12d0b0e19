package io.batchwise.benchmarks.pipeline;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code pipeline} section's no-op provider over the SPI of the baseline (commit 5cc2629):
 * {@code build-baseline.sh} compiles it against the baseline's core and puts it first on the
 * baseline's class path. It is the current version's {@code NoOpProvider} (in {@code src/main/java})
 * written for the older SPI: the same constant vector, the same token per four characters, the same
 * model limits; the pipeline of that version asks {@code count} per text, where the current one
 * asks {@code fit}.
 */
public final class NoOpProvider implements EmbeddingProvider {
  static final int DIMENSIONS = 8;

  private static final ModelInfo MODEL = new ModelInfo("noop", DIMENSIONS, false, 2048, 512, 300_000);

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
  public CompletableFuture<List<float[]>> embed(List<String> texts) {
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

  /** A token per four characters. */
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
    public int[] encode(String text) {
      throw new UnsupportedOperationException("the no-op tokenizer only counts");
    }

    @Override
    public String decode(int[] tokens) {
      throw new UnsupportedOperationException("the no-op tokenizer only counts");
    }

    @Override
    public String truncate(String text, int maxTokens) {
      return text.substring(0, Math.min(text.length(), 4 * maxTokens));
    }
  }
}

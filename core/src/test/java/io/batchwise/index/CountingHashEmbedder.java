package io.batchwise.index;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.Usage;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An {@link Embedder} for the index tests: a bag-of-words hashing embedding (texts sharing words
 * are close), which counts its {@code embedAll} calls, records their input types, and fails any
 * text containing "FAIL". Queries and documents embed alike.
 */
final class CountingHashEmbedder implements Embedder {
  final AtomicInteger embedAllCalls = new AtomicInteger();

  /** The input type of every {@code embedAll} call, in order. */
  final List<InputType> inputTypes = new CopyOnWriteArrayList<>();

  private final ModelInfo info;

  CountingHashEmbedder(String model, int dimensions) {
    this.info = new ModelInfo(model, dimensions, true, 100, 512, 100_000, ModelInfo.NO_LIMIT);
  }

  static float[] vectorOf(String text, int dimensions) {
    float[] v = new float[dimensions];
    for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), dimensions)] += 1;
      }
    }
    return v;
  }

  @Override
  public EmbedResult embedAll(List<String> texts, InputType inputType) {
    embedAllCalls.incrementAndGet();
    inputTypes.add(inputType);
    List<Embedding> out = new ArrayList<>();
    long failed = 0;
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t.contains("FAIL")) {
        out.add(Embedding.failure(i, new IllegalArgumentException("input " + i + " refused")));
        failed++;
      } else {
        out.add(Embedding.success(i, vectorOf(t, info.dimensions()), 1, false, false));
      }
    }
    return new EmbedResult(
        out,
        new Usage(texts.size(), texts.size(), 0, 1, 0, texts.size(), 0, failed, Duration.ZERO));
  }

  @Override
  public CompletableFuture<EmbedResult> embedAllAsync(List<String> texts, InputType inputType) {
    return CompletableFuture.completedFuture(embedAll(texts, inputType));
  }

  @Override
  public Stream<Embedding> embedStream(Iterator<String> texts, InputType inputType) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ModelInfo modelInfo() {
    return info;
  }

  @Override
  public String providerId() {
    return "hash";
  }
}

package io.batchwise.cache.sqlite;

import io.batchwise.Batchwise;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link ResumableEmbedTest} kills: embeds {@link #texts()} with a SQLite cache, two
 * texts per call, one call at a time. Each call appends {@code started N} and its texts,
 * tab-separated, to a marker file when it begins; calls 1 to {@link #ANSWERED_CALLS} answer at
 * once, every later call never answers, so the process runs until it is killed.
 *
 * <p>Arguments: the cache file, the marker file.
 */
public final class ResumableEmbedMain {
  /** Calls answered before the process hangs. */
  static final int ANSWERED_CALLS = 3;

  /** Texts per call. */
  static final int PER_CALL = 2;

  private ResumableEmbedMain() {}

  /**
   * The texts embedded.
   *
   * @return ten distinct texts
   */
  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      texts.add("text number " + i);
    }
    return texts;
  }

  /**
   * A provider of {@link FakeEmbeddingProvider}'s vectors, {@value #PER_CALL} texts per call, that
   * reports each call's start to a marker file and answers only the first {@code answered} calls.
   */
  static final class SlowProvider implements EmbeddingProvider {
    private final FakeEmbeddingProvider vectors =
        new FakeEmbeddingProvider(
            new ModelInfo("slow-model", 8, true, PER_CALL, 16, 64, ModelInfo.NO_LIMIT),
            BatchStrategy.SINGLE_CALL,
            LimitPolicy.FAIL);
    private final AtomicInteger calls = new AtomicInteger();
    private final Path marker;
    private final int answered;

    /** Every text this provider was asked to embed. */
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    SlowProvider(Path marker, int answered) {
      this.marker = marker;
      this.answered = answered;
    }

    @Override
    public String id() {
      return "slow";
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
      return LimitPolicy.FAIL;
    }

    @Override
    public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
      int call = calls.incrementAndGet();
      sent.addAll(texts);
      if (marker != null) {
        try {
          Files.writeString(
              marker,
              "started " + call + "\t" + String.join("\t", texts) + "\n",
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (call > answered) {
        return new CompletableFuture<>(); // never answers: the process is killed while it waits
      }
      return vectors.embed(texts, context);
    }
  }

  /**
   * The Batchwise of both runs: the provider, a SQLite file, one call at a time.
   *
   * @param provider the provider
   * @param cache the cache file
   * @return the instance
   */
  static Batchwise open(EmbeddingProvider provider, Path cache) {
    return Batchwise.builder()
        .provider(provider)
        .cache("sqlite")
        .concurrency(1)
        .options(Map.of("cache.path", cache.toString()))
        .sources(new Properties(), Map.of())
        .build();
  }

  /**
   * Runs the embed that hangs after {@link #ANSWERED_CALLS} calls.
   *
   * @param args the cache file and the marker file
   */
  public static void main(String[] args) {
    try (Batchwise bw =
        open(new SlowProvider(Path.of(args[1]), ANSWERED_CALLS), Path.of(args[0]))) {
      bw.embedder().embedAll(texts());
    }
  }
}

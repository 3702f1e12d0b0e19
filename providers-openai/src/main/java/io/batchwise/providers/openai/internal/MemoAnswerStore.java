package io.batchwise.providers.openai.internal;

import io.batchwise.cache.AsyncMemoizedFunction;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.Memoizer;
import io.batchwise.cache.ValueCodec;
import io.batchwise.spi.EmbeddingCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers kept as the cache module's {@link Memoizer} keeps any function's results, in the byte
 * store under the instance's embedding cache: one memoized function, {@value #NAME}, whose argument
 * is the pair (scope, item). So answers share the backend, the checksummed value frames, the
 * single-flight lookups (two runs asking for one item at once ask the model once) and the metrics
 * ({@code cache=memo:batchwise.map}) of everything else the cache holds, under keys {@code
 * memo:<function>:<SHA-256 of scope and item>} that no vector's key can equal. Loaded only when
 * {@code batchwise-cache} is on the class path. Thread-safe.
 */
final class MemoAnswerStore implements AnswerStore {
  /** The memoized function's name; a new answer format would take a new one. */
  static final String NAME = "batchwise.map.v1";

  /**
   * The miss of the lookup running on this thread: the memo computes synchronously, on the caller.
   */
  private final ThreadLocal<Supplier<CompletableFuture<String>>> onMiss = new ThreadLocal<>();

  private final AsyncMemoizedFunction<List<String>, String> answers;

  private MemoAnswerStore(LoadingEmbeddingCache cache, MeterRegistry registry) {
    Memoizer memoizer = Memoizer.builder().store(cache.store()).meterRegistry(registry).build();
    // no in-memory front: the store is the cache (a caffeine store is memory already)
    this.answers =
        memoizer.memoizeAsync(NAME, key -> onMiss.get().get(), ValueCodec.utf8(), null, 0);
  }

  static boolean accepts(EmbeddingCache cache) {
    return cache instanceof LoadingEmbeddingCache;
  }

  static AnswerStore over(EmbeddingCache cache, MeterRegistry registry) {
    return new MemoAnswerStore((LoadingEmbeddingCache) cache, registry);
  }

  @Override
  public Lookup lookup(String scope, String item, Supplier<CompletableFuture<String>> miss) {
    boolean[] led = {false};
    onMiss.set(
        () -> {
          led[0] = true;
          return miss.get();
        });
    try {
      return new Lookup(answers.apply(List.of(scope, item)), led[0]);
    } finally {
      onMiss.remove();
    }
  }
}

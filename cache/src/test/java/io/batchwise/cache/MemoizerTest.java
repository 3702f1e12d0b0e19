package io.batchwise.cache;

import static io.batchwise.cache.testing.TestContexts.count;
import static io.batchwise.cache.testing.TestContexts.timerCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.LogCapture;
import io.batchwise.cache.testing.MapByteStore;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoizerTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger calls = new AtomicInteger();

  private Memoizer memory() {
    return Memoizer.builder().meterRegistry(registry).build();
  }

  private String shout(String s) {
    calls.incrementAndGet();
    return s.toUpperCase(Locale.ROOT) + "!";
  }

  private double meter(String name, String function) {
    return count(registry, name, MeterNames.TAG_CACHE, "memo:" + function);
  }

  @Test
  void computesOncePerArgumentAndCountsHitsAndMisses() {
    MemoizedFunction<String, String> f = memory().memoize("shout", String.class, this::shout);
    assertThat(f.apply("a")).isEqualTo("A!");
    assertThat(f.apply("a")).isEqualTo("A!");
    assertThat(f.apply("b")).isEqualTo("B!");
    assertThat(calls).hasValue(2);
    assertThat(meter(MeterNames.CACHE_HITS, "shout")).isEqualTo(1);
    assertThat(meter(MeterNames.CACHE_MISSES, "shout")).isEqualTo(2);
    assertThat(meter(MeterNames.CACHE_PUTS, "shout")).isEqualTo(2);
    assertThat(
            timerCount(
                registry,
                MeterNames.CACHE_LOAD,
                MeterNames.TAG_CACHE,
                "memo:shout",
                MeterNames.TAG_OUTCOME,
                "success"))
        .isEqualTo(2);
  }

  @Test
  void inMemoryResultsExpireAfterTheTtlAndAreBoundedBySize() {
    FakeTicker ticker = new FakeTicker();
    Memoizer m = Memoizer.builder().meterRegistry(registry).ticker(ticker).build();
    MemoizedFunction<String, String> f =
        m.memoize("bounded", this::shout, ValueCodec.utf8(), Duration.ofMinutes(1), 10);
    f.apply("t");
    ticker.advance(Duration.ofSeconds(59));
    f.apply("t");
    assertThat(calls).hasValue(1);
    ticker.advance(Duration.ofSeconds(2));
    f.apply("t");
    assertThat(calls).hasValue(2);

    for (int i = 0; i < 50; i++) {
      f.apply("n" + i);
    }
    assertThat(meter(MeterNames.CACHE_EVICTIONS, "bounded")).isGreaterThanOrEqualTo(40);
  }

  @Test
  void nullResultsAndExceptionsAreNotCached() {
    AtomicReference<RuntimeException> failure =
        new AtomicReference<>(new IllegalStateException("flaky"));
    MemoizedFunction<String, String> f =
        memory()
            .memoize(
                "flaky",
                String.class,
                s -> {
                  calls.incrementAndGet();
                  RuntimeException e = failure.getAndSet(null);
                  if (e != null) {
                    throw e;
                  }
                  return s.equals("nothing") ? null : s;
                });
    assertThatThrownBy(() -> f.apply("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("flaky");
    assertThat(f.apply("x")).isEqualTo("x");
    assertThat(f.apply("nothing")).isNull();
    assertThat(f.apply("nothing")).isNull();
    assertThat(calls).hasValue(4);
    assertThat(
            timerCount(
                registry,
                MeterNames.CACHE_LOAD,
                MeterNames.TAG_CACHE,
                "memo:flaky",
                MeterNames.TAG_OUTCOME,
                "failure"))
        .isEqualTo(1);
  }

  @Test
  void concurrentCallsWithTheSameArgumentComputeOnce() throws Exception {
    int threads = 16;
    Set<Thread> callers = ConcurrentHashMap.newKeySet();
    MemoizedFunction<String, String> f =
        memory()
            .memoize(
                "slow",
                String.class,
                s -> {
                  calls.incrementAndGet();
                  // compute only once every other caller is parked on this computation, not merely
                  // started
                  Thread me = Thread.currentThread();
                  io.batchwise.testing.Await.until(
                      "the other callers wait for the computation",
                      java.time.Duration.ofSeconds(10),
                      () ->
                          callers.size() == threads
                              && callers.stream()
                                  .filter(t -> t != me)
                                  .allMatch(
                                      t ->
                                          t.getState() == Thread.State.WAITING
                                              || t.getState() == Thread.State.TIMED_WAITING
                                              || t.getState() == Thread.State.BLOCKED));
                  return s + "!";
                });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(
          pool.submit(
              () -> {
                callers.add(Thread.currentThread());
                return f.apply("same");
              }));
    }
    for (Future<String> r : results) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("same!");
    }
    pool.shutdown();
    assertThat(calls).hasValue(1);
  }

  @Test
  void aFunctionThatRecursesOnItsOwnKeyFailsInsteadOfDeadlocking() {
    AtomicReference<MemoizedFunction<Integer, Integer>> self = new AtomicReference<>();
    self.set(memory().memoize("loop", Integer.class, n -> self.get().apply(n)));
    assertThatThrownBy(() -> self.get().apply(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loop")
        .hasMessageContaining("recurse");
  }

  @Test
  void recursionOnOtherKeysIsFine() {
    AtomicReference<MemoizedFunction<Integer, Long>> fib = new AtomicReference<>();
    fib.set(
        memory()
            .memoize(
                "fib",
                Long.class,
                n -> n < 2 ? (long) n : fib.get().apply(n - 1) + fib.get().apply(n - 2)));
    assertThat(fib.get().apply(80)).isEqualTo(23416728348467685L);
  }

  @Test
  void anArgumentWithoutAStableKeyIsRefusedClearly() {
    MemoizedFunction<Object, String> f =
        memory().memoize("objects", String.class, Object::toString);
    assertThatThrownBy(() -> f.apply(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("objects")
        .hasMessageContaining("argument 0")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void asyncCallsShareOneComputationAndCacheOnlySuccess() {
    List<CompletableFuture<String>> started = new ArrayList<>();
    AsyncMemoizedFunction<String, String> f =
        memory()
            .memoizeAsync(
                "async",
                s -> {
                  CompletableFuture<String> future = new CompletableFuture<>();
                  started.add(future);
                  return future;
                },
                ValueCodec.utf8(),
                null,
                -1);

    CompletableFuture<String> first = f.apply("k");
    CompletableFuture<String> second = f.apply("k");
    assertThat(started).hasSize(1);
    started.get(0).completeExceptionally(new IllegalStateException("remote down"));
    assertThatThrownBy(first::join).hasRootCauseMessage("remote down");
    assertThatThrownBy(second::join).hasRootCauseMessage("remote down");

    CompletableFuture<String> third = f.apply("k");
    assertThat(started).hasSize(2);
    started.get(1).complete("value");
    assertThat(third.join()).isEqualTo("value");
    assertThat(f.apply("k")).isCompletedWithValue("value");
    assertThat(started).hasSize(2);
  }

  @Test
  void aResultTheCodecCannotStoreIsStillReturnedAndReportedOnce() {
    record Unserializable(Object payload) {}
    try (ByteStore store = new MapByteStore();
        LogCapture log = LogCapture.of(io.batchwise.cache.internal.Memo.class)) {
      Memoizer m = Memoizer.builder().store(store).meterRegistry(registry).build();
      // what a @Cached method returning a type that is not Serializable gets
      ValueCodec<Unserializable> codec =
          io.batchwise.cache.internal.Codecs.javaSerializationOf(Unserializable.class);
      MemoizedFunction<String, Unserializable> f =
          m.memoize(
              "unstorable",
              s -> {
                calls.incrementAndGet();
                return new Unserializable(s);
              },
              codec,
              null,
              0);
      assertThat(f.apply("a").payload()).isEqualTo("a");
      assertThat(f.apply("b").payload()).isEqualTo("b");
      assertThat(f.apply("a").payload()).isEqualTo("a");
      assertThat(calls).as("nothing could be cached").hasValue(3);
      assertThat(log.messages(Level.WARN))
          .singleElement()
          .asString()
          .contains("unstorable", "cannot be stored");
      assertThat(
              count(
                  registry,
                  MeterNames.CACHE_ERRORS,
                  MeterNames.TAG_CACHE,
                  "memo:unstorable",
                  MeterNames.TAG_OUTCOME,
                  "failure"))
          .isEqualTo(3);
    }
  }

  @Test
  void invalidSizesAndMissingNamesAreRefused() {
    Memoizer m = memory();
    assertThatThrownBy(() -> m.memoize("n", String::trim, ValueCodec.utf8(), null, 0))
        .hasMessageContaining("needs a backend");
    assertThatThrownBy(() -> m.memoize("n", String::trim, ValueCodec.utf8(), null, -2))
        .hasMessageContaining("maxSize");
    assertThatThrownBy(() -> m.memoize(" ", String.class, String::trim))
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> m.memoize("n", String::trim, ValueCodec.utf8(), Duration.ZERO, 5))
        .hasMessageContaining("ttl must be positive");
  }
}

package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.LocalProviderFactory;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.InputType;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancelling a call's future, or its {@link CallContext}, stops the provider's work that has not
 * started: its tokenizing, and its micro-batch still queued for the session.
 */
class LocalCancellationTest {
  /** Tokenizing runs here only when the test says so. */
  private final Queue<Runnable> cpuTasks = new ArrayDeque<>();

  private final Executor cpu = cpuTasks::add;

  private LocalEmbeddingProvider provider() {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (ConfigOption<?> o : LocalOptions.all()) {
      known.put(o.key(), o);
    }
    // one session thread: micro-batches queue up behind each other
    Config config =
        Config.of(Map.of("local.concurrent-runs", "1"), known, name -> null, name -> null);
    return (LocalEmbeddingProvider)
        new LocalProviderFactory()
            .create(
                FactoryContext.of(
                    config, new SimpleMeterRegistry(), TokenizerRegistry.standalone(), cpu));
  }

  private void runCpuTasks() {
    Runnable task;
    while ((task = cpuTasks.poll()) != null) {
      task.run();
    }
  }

  private static List<String> texts(String prefix, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> prefix + " sentence number " + i + " about a topic")
        .toList();
  }

  /** The two ways a call is cancelled: its future (a timeout, a stopped job) or its context. */
  enum Cancel {
    FUTURE,
    CONTEXT;

    /** Starts a call that this way of cancelling can cancel, and the action that cancels it. */
    Call start(LocalEmbeddingProvider provider, List<String> texts) {
      AtomicBoolean flag = new AtomicBoolean();
      CallContext context =
          this == CONTEXT
              ? CallContext.of(InputType.DOCUMENT, () -> {}, flag::get)
              : CallContext.of(InputType.DOCUMENT);
      CompletableFuture<List<float[]>> future = provider.embed(texts, context);
      return new Call(future, this == FUTURE ? () -> future.cancel(true) : () -> flag.set(true));
    }
  }

  /** A call in flight and what cancels it. */
  record Call(CompletableFuture<List<float[]>> future, Runnable cancel) {}

  @ParameterizedTest(name = "cancelled by its {0}")
  @EnumSource(Cancel.class)
  @DisplayName(
      "a call cancelled before its tokenizing starts tokenizes and runs nothing, and ends cancelled")
  void cancelledBeforeTokenizing(Cancel how) {
    try (LocalEmbeddingProvider provider = provider()) {
      long tokenized = provider.rawTokenizer().tokenizations();
      Call call = how.start(provider, texts("early", 20));
      call.cancel().run();
      runCpuTasks();
      assertThat(provider.rawTokenizer().tokenizations()).isEqualTo(tokenized);
      assertThat(provider.microBatchesRun()).isZero();
      assertThat(call.future()).isCancelled();
    }
  }

  @ParameterizedTest(name = "cancelled by its {0}")
  @EnumSource(Cancel.class)
  @DisplayName("a call cancelled while its micro-batch waits behind other calls' runs does not run")
  void queuedMicroBatchesAreSkipped(Cancel how) {
    try (LocalEmbeddingProvider provider = provider()) {
      // a call is one micro-batch: 200 one-text calls queue 200 runs on the one session thread
      List<String> first = texts("first", 200);
      List<CompletableFuture<List<float[]>>> busy =
          first.stream()
              .map(t -> provider.embed(List.of(t), CallContext.of(InputType.DOCUMENT)))
              .toList();
      Call cancelled = how.start(provider, texts("second", 50));
      runCpuTasks(); // tokenizes all: 200 micro-batches queue on the one session thread, then the
      // second call's
      long startedWhenCancelled = provider.microBatchesRun();
      cancelled.cancel().run();
      assertThat(startedWhenCancelled)
          .as("the first calls still had micro-batches queued when the second was cancelled")
          .isLessThan(first.size());

      assertThat(busy.stream().mapToInt(f -> f.join().size()).sum()).isEqualTo(first.size());
      // the session thread takes queued work in order: once the first calls are done, the cancelled
      // call's micro-batch has been taken (and skipped) or is next in line
      CompletableFuture<List<float[]>> after =
          provider.embed(List.of("a later call"), CallContext.of(InputType.DOCUMENT));
      runCpuTasks();
      assertThat(after.join()).hasSize(1);
      assertThat(provider.microBatchesRun())
          .as("the first calls' and the later call's micro-batches only")
          .isEqualTo(first.size() + 1);
      assertThat(cancelled.future()).isCancelled();
    }
  }
}

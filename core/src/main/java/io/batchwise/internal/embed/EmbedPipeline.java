package io.batchwise.internal.embed;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.Usage;
import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The embed pipeline, its order written here and only here:
 *
 * <ol>
 *   <li>validate each input and dedupe identical texts ({@link Deduplicator});
 *   <li>bulk cache lookup, wrapping the next two steps for the misses, and bulk store of what they
 *       return ({@link CacheStage#lookupOrEmbed}, single-flight with the cache module's caches);
 *   <li>count tokens on the CPU pool and apply the per-input limit policy ({@link TokenLimitStage});
 *   <li>pack the misses into calls by the provider's strategy and run them through the scheduler,
 *       each call through the interceptor chain to the provider ({@link CallRunner}); for
 *       {@code SINGLE_CALL}, which packs in input order, steps 3 and 4 stream: each call's texts are
 *       counted and packed when the scheduler pulls it, so counting overlaps the calls in flight;
 *   <li>reassemble one outcome per input, in input order ({@link Reassembler}), with usage.
 * </ol>
 *
 * <p>Every embed's calls share the instance's {@link CallLimits} for the provider. Cancelling the
 * future of {@link #embedAllAsync} (as closing an {@code embedStream} early does) cancels the embed's
 * scheduler job, and through it the provider calls in flight.
 *
 * <p>Thread-safe: each embed keeps its state in its own objects.
 */
public final class EmbedPipeline implements Embedder {
  private final EmbeddingProvider provider;
  private final EmbedSettings settings;
  private final Executor cpu;
  private final Executor blocking;
  private final Deduplicator deduplicator;
  private final CacheStage cacheStage;
  private final TokenLimitStage tokenLimit;
  private final CallRunner callRunner;
  private final Reassembler reassembler = new Reassembler();
  /** SINGLE_CALL packs in input order, so it counts and packs as calls are pulled (see CallRunner). */
  private final boolean streamingCalls;
  private final Counter inputs;
  private final Counter uniqueInputs;
  private final Counter failures;
  private final Counter truncations;
  private final Counter tokens;
  private final Timer latency;

  /**
   * Wires the stages.
   *
   * @param provider the provider
   * @param tokenizer the provider's tokenizer as the registry shares it (count-cached)
   * @param settings limits and call settings
   * @param cache the cache (possibly {@link EmbeddingCache#none()})
   * @param scheduler runs the provider calls
   * @param limits the instance's concurrency and per-minute limits for this provider, shared by every
   *     embed
   * @param registry records the embed meters
   * @param cpu the CPU pool (validation, counting, packing)
   * @param blocking a pool for blocking cache I/O
   */
  public EmbedPipeline(
      EmbeddingProvider provider,
      Tokenizer tokenizer,
      EmbedSettings settings,
      EmbeddingCache cache,
      Scheduler scheduler,
      CallLimits limits,
      MeterRegistry registry,
      Executor cpu,
      Executor blocking) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cpu = cpu;
    this.blocking = blocking;
    ModelInfo model = settings.model();
    this.deduplicator = new Deduplicator(new InputValidator(settings.maxInputChars()), cpu);
    this.cacheStage = new CacheStage(cache, CacheKey.namespace(provider.id(), model));
    this.tokenLimit = new TokenLimitStage(
        tokenizer, model.maxTokensPerInput(), settings.limitPolicy(), cpu);
    this.streamingCalls = provider.batchStrategy() == BatchStrategy.SINGLE_CALL;
    BatchPacker packer = provider.batchStrategy() == BatchStrategy.SINGLE_CALL
        ? new GreedyBatchPacker(model.maxInputsPerCall(), model.maxTokensPerCall())
        : new LengthBucketBatchPacker(model.maxInputsPerCall(), model.maxTokensPerCall());
    CallMetricsInterceptor metrics = new CallMetricsInterceptor(registry, provider.id(), model.modelId());
    this.callRunner = new CallRunner(scheduler, packer,
        new ProviderCallChain(ProviderCallChain.standardLinks(provider, metrics), provider), settings,
        limits, cpu);
    String p = provider.id();
    String m = model.modelId();
    this.inputs = counter(registry, MeterNames.EMBED_INPUTS, p, m);
    this.uniqueInputs = counter(registry, MeterNames.EMBED_UNIQUE_INPUTS, p, m);
    this.failures = counter(registry, MeterNames.EMBED_FAILURES, p, m);
    this.truncations = counter(registry, MeterNames.EMBED_TRUNCATIONS, p, m);
    this.tokens = counter(registry, MeterNames.TOKENS, p, m);
    this.latency = Timer.builder(MeterNames.EMBED_LATENCY).tag(MeterNames.TAG_PROVIDER, p)
        .tag(MeterNames.TAG_MODEL, m).publishPercentiles(0.5, 0.95, 0.99).register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String provider, String model) {
    return Counter.builder(name).tag(MeterNames.TAG_PROVIDER, provider).tag(MeterNames.TAG_MODEL, model)
        .register(registry);
  }

  @Override
  public EmbedResult embedAll(List<String> texts) {
    try {
      return embedAllAsync(texts).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
    }
  }

  @Override
  public CompletableFuture<EmbedResult> embedAllAsync(List<String> texts) {
    Objects.requireNonNull(texts, "texts must not be null (a null element fails only its own input)");
    long start = System.nanoTime();
    Embedding[] out = new Embedding[texts.size()];
    Run run = new Run();
    CompletableFuture<EmbedResult> result =
        CompletableFuture.supplyAsync(() -> run.unique = deduplicator.dedupe(texts, out), cpu)
            .thenComposeAsync(unique -> cacheStage.lookupOrEmbed(unique, misses -> embedMisses(misses, run)), blocking)
            .thenApply(done -> new EmbedResult(reassembler.reassemble(run.unique, out), usage(texts.size(), run, start)));
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        run.cancellation.cancel(); // the caller gave up: stop the calls, not only this future
      }
    });
    return result;
  }

  /** Counts and limits the misses' tokens, then runs their provider calls; may run more than once per embed. */
  private CompletableFuture<Void> embedMisses(List<PendingText> misses, Run run) {
    if (streamingCalls) {
      return callRunner.runStreaming(misses, tokenLimit, run.sent, run.cancellation).thenAccept(outcome -> {
        run.calls.addAndGet(outcome.calls());
        run.attempts.addAndGet(outcome.attempts());
      });
    }
    return tokenLimit.apply(misses)
        .thenCompose(sendable -> {
          run.sent.addAll(sendable);
          return callRunner.run(sendable, run.cancellation);
        })
        .thenAccept(outcome -> {
          run.calls.addAndGet(outcome.calls());
          run.attempts.addAndGet(outcome.attempts());
        });
  }

  /** The state one embed passes between stages. */
  private static final class Run {
    volatile List<PendingText> unique;
    final Cancellation cancellation = new Cancellation();
    final List<PendingText> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong attempts = new java.util.concurrent.atomic.AtomicLong();
  }

  private Usage usage(int n, Run run, long start) {
    long hits = 0;
    long tokenSum = 0;
    long truncated = 0;
    for (PendingText p : run.unique) {
      if (p.cacheHit) {
        hits++;
      }
      if (p.truncated) {
        truncated += p.indexCount;
      }
    }
    synchronized (run.sent) {
      for (PendingText p : run.sent) {
        tokenSum += p.tokens;
      }
    }
    long failed = 0;
    for (PendingText p : run.unique) {
      if (p.vector == null) {
        failed += p.indexCount;
      }
    }
    long valid = 0;
    for (PendingText p : run.unique) {
      valid += p.indexCount;
    }
    failed += n - valid; // invalid inputs
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    inputs.increment(n);
    uniqueInputs.increment(run.unique.size());
    failures.increment(failed);
    truncations.increment(truncated);
    tokens.increment(tokenSum);
    latency.record(elapsed);
    long attempts = run.attempts.get();
    return new Usage(n, run.unique.size(), hits, attempts, attempts - run.calls.get(), tokenSum,
        truncated, failed, elapsed);
  }

  @Override
  public Stream<Embedding> embedStream(Iterator<String> texts) {
    return new WindowedEmbedStream(this, texts, settings.streamWindow()).stream();
  }

  @Override
  public ModelInfo modelInfo() {
    return settings.model();
  }

  @Override
  public String providerId() {
    return provider.id();
  }

  @Override
  public String toString() {
    return "Embedder{provider=" + provider.id() + ", model=" + settings.model().modelId() + "}";
  }
}

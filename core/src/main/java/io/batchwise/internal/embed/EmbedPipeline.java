package io.batchwise.internal.embed;

import io.batchwise.EmbedPlan;
import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.Usage;
import io.batchwise.internal.scheduler.JobTimeout;
import io.batchwise.internal.scheduler.LocalSchedulerFactory;
import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CloseMode;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embed pipeline, its order written here and only here:
 *
 * <ol>
 *   <li>validate each input and dedupe identical texts ({@link Deduplicator});
 *   <li>bulk cache lookup in the namespace of the embed's input type (query and document vectors of
 *       a text are kept apart), wrapping the next two steps for the misses, each provider call's
 *       vectors stored as the call is answered ({@link CacheStage#lookupOrEmbed}, single-flight
 *       with the cache module's caches; texts are counted before the lookup only when the user
 *       lowered the per-input limit, see {@link CacheStage});
 *   <li>tell the provider that calls are coming ({@link EmbeddingProvider#prepare()}: an in-process
 *       model starts loading beside its tokenizer), then run the misses as one scheduler job whose
 *       items are the texts and whose batches are the provider calls ({@link CallRunner}): the
 *       scheduler counts each text not yet counted (and applies the per-input limit, {@link
 *       TokenLimitStage}) ahead of packing on the CPU pool, packs by the provider's strategy (in
 *       order for {@code SINGLE_CALL}, length-sorted micro-batches for {@code PARALLEL_GATHER}),
 *       and sends each call through the interceptor chain to the provider with a {@code
 *       CallContext} carrying the input type;
 *   <li>reassemble one outcome per input, in input order ({@link Reassembler}), with usage.
 * </ol>
 *
 * <p>Closing is in two steps, around the closing of the scheduler (see {@code OwnedResources}):
 * {@link #stopAccepting()} refuses new embeds, and {@link #awaitSettled} waits for those in flight
 * to store and reassemble their results, up to the close timeout counted from the first step, and
 * then cancels their jobs: the scheduler may not be the instance's to close.
 *
 * <p>Before step 1, an embed smaller than one provider call may wait up to {@code coalesce-window}
 * for others to share its calls ({@link Coalescer}). Each embed is one {@link
 * MeterNames#OBSERVATION_EMBED} observation, and each provider call one {@link
 * MeterNames#OBSERVATION_CALL} observation under it.
 *
 * <p>Every embed's calls share the instance's {@link CallLimits} for the provider. Cancelling the
 * future of {@link #embedAllAsync} (as closing an {@code embedStream} early does) cancels the
 * embed's scheduler job, and through it the provider calls in flight.
 *
 * <p>Thread-safe: each embed keeps its state in its own objects.
 */
public final class EmbedPipeline implements Embedder {
  private static final Logger LOG = LoggerFactory.getLogger(EmbedPipeline.class);

  /**
   * How long {@link #awaitSettled} waits for embeds once it has cancelled them: what is left of
   * them then is a cache lookup, bounded by the cache's own timeouts, and reassembling.
   */
  static final Duration CANCELLED_SETTLE_TIMEOUT = Duration.ofSeconds(10);

  private final EmbeddingProvider provider;
  private final VectorIdentity identity;
  private final EmbedSettings settings;
  private final Executor cpu;
  private final Executor blocking;
  private final Deduplicator deduplicator;

  /** One per input type: query and document vectors of a text are cached apart. */
  private final Map<InputType, CacheStage> cacheStages = new EnumMap<>(InputType.class);

  private final TokenLimitStage tokenLimit;
  private final CallRunner callRunner;
  private final Reassembler reassembler = new Reassembler();
  private final Counter inputs;
  private final Counter uniqueInputs;
  private final Counter cacheHits;
  private final Counter failures;
  private final Counter truncations;
  private final Counter tokens;
  private final Timer latency;
  private final ObservationRegistry observations;
  private final Coalescer coalescer;

  /** Embeds started and not yet complete, with what cancels their jobs, for closing. */
  private final Map<CompletableFuture<EmbedResult>, Cancellation> inFlight =
      new ConcurrentHashMap<>();

  /**
   * The futures handed to coalesced callers and not yet complete: each completes after the shared
   * embed in {@link #inFlight} does (its group hands out the results then), so closing waits for
   * them too, or close() could return with a caller's future about to complete.
   */
  private final Set<CompletableFuture<EmbedResult>> coalesced = ConcurrentHashMap.newKeySet();

  /** When closing began ({@link System#nanoTime()}); the close timeout counts from it. */
  private volatile long closeStarted;

  private volatile boolean accepting = true;
  private volatile boolean storing = true;

  /**
   * Wires the stages.
   *
   * @param provider the provider
   * @param tokenizer the provider's tokenizer as the registry shares it (count-cached)
   * @param settings limits and call settings
   * @param cache the cache (possibly {@link EmbeddingCache#none()})
   * @param scheduler runs the provider calls
   * @param limits the instance's concurrency and per-minute limits for this provider, shared by
   *     every embed
   * @param registry records the embed meters
   * @param observations records an observation per embed and per provider call ({@link
   *     ObservationRegistry#NOOP} for none)
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
      ObservationRegistry observations,
      Executor cpu,
      Executor blocking) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cpu = cpu;
    this.blocking = blocking;
    ModelInfo model = settings.model();
    this.identity = identityOf(provider);
    this.deduplicator = new Deduplicator(settings.maxInputChars(), cpu);
    for (InputType type : InputType.values()) {
      cacheStages.put(
          type,
          new CacheStage(
              cache,
              identity.forInputType(type).namespace(),
              model.maxTokensPerInput(),
              provider.modelInfo().maxTokensPerInput(),
              settings.limitPolicy(),
              model.dimensions()));
    }
    this.tokenLimit =
        new TokenLimitStage(tokenizer, model.maxTokensPerInput(), settings.limitPolicy(), cpu);
    this.observations = Objects.requireNonNull(observations, "observations");
    this.callRunner =
        new CallRunner(
            scheduler,
            provider,
            tokenLimit,
            settings,
            limits,
            registry,
            observations,
            blocking,
            () -> storing);
    this.coalescer = new Coalescer(this::run, settings.coalesceWindow(), model.maxInputsPerCall());
    String p = provider.id();
    String m = model.modelId();
    this.inputs = counter(registry, MeterNames.EMBED_INPUTS, p, m);
    this.uniqueInputs = counter(registry, MeterNames.EMBED_UNIQUE_INPUTS, p, m);
    this.cacheHits = counter(registry, MeterNames.EMBED_CACHE_HITS, p, m);
    this.failures = counter(registry, MeterNames.EMBED_FAILURES, p, m);
    this.truncations = counter(registry, MeterNames.EMBED_TRUNCATIONS, p, m);
    this.tokens = counter(registry, MeterNames.TOKENS, p, m);
    this.latency =
        Timer.builder(MeterNames.EMBED_LATENCY)
            .tag(MeterNames.TAG_PROVIDER, p)
            .tag(MeterNames.TAG_MODEL, m)
            .register(registry);
  }

  /**
   * The provider's identity with its own per-input limit, which decides where an input is cut (the
   * cache stage relies on it being part of the namespace).
   */
  private static VectorIdentity identityOf(EmbeddingProvider provider) {
    VectorIdentity declared = Objects.requireNonNull(provider.identity(), "provider.identity()");
    ModelInfo info = provider.modelInfo();
    if (declared.dimensions() != info.dimensions()
        || declared.normalized() != info.normalized()
        || !declared.providerId().equals(provider.id())) {
      throw new IllegalStateException(
          "provider '"
              + provider.id()
              + "' declares the identity "
              + declared
              + ", which does not match its id and model info ("
              + info.dimensions()
              + " dims, "
              + (info.normalized() ? "normalized" : "unnormalized")
              + ")");
    }
    if (declared.attribute(VectorIdentity.INPUT_TYPE).isPresent()) {
      throw new IllegalStateException(
          "provider '"
              + provider.id()
              + "' declares the attribute '"
              + VectorIdentity.INPUT_TYPE
              + "' in its identity; the input type is each call's, and the pipeline adds it");
    }
    return declared.with(
        VectorIdentity.MAX_TOKENS_PER_INPUT, Integer.toString(info.maxTokensPerInput()));
  }

  private static Counter counter(
      MeterRegistry registry, String name, String provider, String model) {
    return Counter.builder(name)
        .tag(MeterNames.TAG_PROVIDER, provider)
        .tag(MeterNames.TAG_MODEL, model)
        .register(registry);
  }

  @Override
  public EmbedResult embedAll(List<String> texts, InputType inputType) {
    try {
      return embedAllAsync(texts, inputType).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
    }
  }

  @Override
  public CompletableFuture<EmbedResult> embedAllAsync(List<String> texts, InputType inputType) {
    Objects.requireNonNull(
        texts, "texts must not be null (a null element fails only its own input)");
    Objects.requireNonNull(inputType, "inputType");
    if (observations.isNoop()) {
      // nothing observes it: no key values to build, and nothing more to run for each caller when a
      // shared embed completes its many coalesced callers one after another
      return submit(texts, inputType, Observation.NOOP);
    }
    Observation observation =
        Observation.createNotStarted(MeterNames.OBSERVATION_EMBED, observations)
            .lowCardinalityKeyValue(MeterNames.TAG_PROVIDER, provider.id())
            .lowCardinalityKeyValue(MeterNames.TAG_MODEL, settings.model().modelId())
            .lowCardinalityKeyValue(
                MeterNames.KEY_INPUT_TYPE, inputType.name().toLowerCase(Locale.ROOT))
            .highCardinalityKeyValue(MeterNames.KEY_INPUTS, Integer.toString(texts.size()))
            .start();
    CompletableFuture<EmbedResult> result = submit(texts, inputType, observation);
    result.whenComplete(
        (r, e) -> {
          if (r != null) {
            Usage u = r.usage();
            observation
                .highCardinalityKeyValue(MeterNames.KEY_TOKENS, Long.toString(u.tokens()))
                .highCardinalityKeyValue(MeterNames.KEY_CACHE_HITS, Long.toString(u.cacheHits()))
                .highCardinalityKeyValue(MeterNames.KEY_CALLS, Long.toString(u.providerCalls()))
                .highCardinalityKeyValue(MeterNames.KEY_RETRIES, Long.toString(u.retries()))
                .highCardinalityKeyValue(MeterNames.KEY_FAILED, Long.toString(u.failed()));
          } else {
            observation.error(io.batchwise.internal.concurrent.Failures.unwrap(e));
          }
          observation.stop();
        });
    return result;
  }

  /** One embed, coalesced with others when it is small, else alone. */
  private CompletableFuture<EmbedResult> submit(
      List<String> texts, InputType inputType, Observation observation) {
    CompletableFuture<EmbedResult> result =
        coalescer.accepts(texts) ? coalescer.submit(texts, inputType, observation) : null;
    if (result == null) {
      return run(texts, inputType, observation);
    }
    coalesced.add(result);
    result.whenComplete((r, e) -> coalesced.remove(result));
    return result;
  }

  /** One embed through the stages, its calls observed under {@code observation}. */
  private CompletableFuture<EmbedResult> run(
      List<String> texts, InputType inputType, Observation observation) {
    CompletableFuture<EmbedResult> result = new CompletableFuture<>();
    Run run = new Run(inputType, observation);
    inFlight.put(
        result, run.cancellation); // before the check: close() sees this embed, or it sees close()
    result.whenComplete((r, e) -> inFlight.remove(result));
    if (!accepting) {
      result.completeExceptionally(new IllegalStateException("this Batchwise instance is closed"));
      return result;
    }
    long start = System.nanoTime();
    Embedding[] out = new Embedding[texts.size()];
    try {
      CompletableFuture<List<PendingText>> deduped =
          CompletableFuture.supplyAsync(() -> run.unique = deduplicator.dedupe(texts, out), cpu);
      bounded(
              deduped.thenComposeAsync(
                  unique -> cacheStages.get(inputType).lookupOrEmbed(unique, run), blocking),
              deduped,
              run)
          .thenApply(
              done -> {
                Reassembler.Reassembled all = reassembler.reassemble(run.unique, out);
                return new EmbedResult(all.embeddings(), usage(texts.size(), run, all, start));
              })
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  result.completeExceptionally(e);
                } else {
                  result.complete(r);
                }
              });
    } catch (RuntimeException e) { // a pool that no longer takes work: the instance is closing
      result.completeExceptionally(e);
    }
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            run.cancellation.cancel(
                "cancelled: the caller cancelled the embed"); // the caller gave up: stop the calls,
            // not only this future
          }
        });
    return result;
  }

  /**
   * {@code work} ended by the job timeout, counted from the embed's start: when it passes, every
   * text still without an outcome fails saying so, whatever it waits for (its own provider calls,
   * or the flight of a concurrent embed computing the same text, which has no deadline of this
   * embed). Without a job timeout, {@code work} itself.
   */
  private CompletableFuture<?> bounded(
      CompletableFuture<?> work, CompletableFuture<List<PendingText>> deduped, Run run) {
    if (settings.jobTimeout().isEmpty()) {
      return work;
    }
    Duration timeout = settings.jobTimeout().get();
    CompletableFuture<Object> ended = new CompletableFuture<>();
    work.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            ended.completeExceptionally(failure);
          } else {
            ended.complete(done);
          }
        });
    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, blocking)
        .execute(
            () -> {
              if (ended.isDone()) {
                return;
              }
              String reason = JobTimeout.reason(timeout);
              // the embed's jobs started after it, so their own deadline (the same timeout) follows
              // shortly and stops their calls, each input failing with its own account (sent or
              // not); this one only ends the wait for what no job of this embed holds. The texts
              // exist once deduplicated; before that, the embed ends when deduplication does
              deduped.thenAccept(
                  unique -> {
                    for (PendingText p : unique) {
                      if (!p.done()) {
                        p.failed(new CancellationException(reason + " before it was embedded"));
                      }
                    }
                    ended.complete(null);
                  });
            });
    return ended;
  }

  /**
   * What an embed of {@code texts} as documents would do, without calling the provider or writing
   * to the cache: the same validation and dedupe, the same cache lookups ({@link CacheStage#probe}:
   * a text the limit cuts is a hit when its cut vector is cached) and the same token limits as
   * {@link #embedAllAsync}. A dry run asks this, so that its figures are the pipeline's, not a copy
   * of its rules.
   *
   * @param texts the inputs
   * @return the plan
   */
  public EmbedPlan plan(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    Embedding[] out = new Embedding[texts.size()];
    List<PendingText> unique = deduplicator.dedupe(texts, out);
    List<PendingText> toSend = Collections.synchronizedList(new ArrayList<>());
    CacheStage.Sender counting =
        new CacheStage.Sender() {
          @Override
          public CompletableFuture<?> count(List<PendingText> misses) {
            return tokenLimit.apply(misses);
          }

          @Override
          public CompletableFuture<?> countAndSend(List<PendingText> misses) {
            return tokenLimit.apply(misses).thenCompose(this::send);
          }

          @Override
          public CompletableFuture<?> send(List<PendingText> misses) {
            for (PendingText p : misses) {
              if (p.invalidReason() == null) {
                toSend.add(p);
              }
            }
            return CompletableFuture.completedFuture(null);
          }
        };
    cacheStages.get(InputType.DOCUMENT).probe(unique, counting).join();
    long hits = unique.stream().filter(PendingText::cacheHit).count();
    long failing = unique.stream().filter(p -> !p.cacheHit() && p.invalidReason() != null).count();
    List<PendingText> sent;
    synchronized (toSend) {
      sent = new ArrayList<>(toSend);
    }
    sent.sort(Comparator.comparingInt(p -> p.firstIndex));
    long truncated = sent.stream().filter(PendingText::truncated).count();
    return new EmbedPlan(
        texts.size(),
        texts.size() - unique.stream().mapToLong(p -> p.indexCount).sum(),
        unique.size(),
        hits,
        truncated,
        failing,
        sent.stream().mapToInt(PendingText::tokens).toArray(),
        settings.limitPolicy());
  }

  /**
   * Runs the calls of {@code texts}; if that fails as a whole (the scheduler refused the job, or
   * something broke), each text still unfinished gets the failure, so that no input is lost: when
   * the instance was closing, a {@link CancellationException} that says so.
   */
  private CompletableFuture<Void> guarded(
      List<PendingText> texts, Supplier<CompletableFuture<?>> calls) {
    CompletableFuture<?> running;
    try {
      running = calls.get();
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    return running.handle(
        (done, failure) -> {
          if (failure != null) {
            Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (!accepting) {
              CancellationException cancelled =
                  new CancellationException(
                      "cancelled: the Batchwise instance was closed before this input's provider call started");
              cancelled.initCause(cause);
              cause = cancelled;
            } else {
              LOG.warn(
                  "provider calls of {} texts failed as a whole: {}",
                  texts.size(),
                  cause.toString());
            }
            for (PendingText p : texts) {
              if (!p.done()) {
                p.failed(cause);
              }
            }
          }
          return null;
        });
  }

  /**
   * One embed: what it passes between stages, and how it counts and embeds its cache misses (its
   * sends may run more than once per embed, so what they did is summed).
   */
  private final class Run implements CacheStage.Sender {
    final InputType inputType;
    final Observation observation;
    volatile List<PendingText> unique;
    final Cancellation cancellation = new Cancellation();

    /** What the embed's jobs did, summed as each job completes (an embed may run more than one). */
    private CallRunner.Outcome calls = CallRunner.Outcome.NONE;

    Run(InputType inputType, Observation observation) {
      this.inputType = inputType;
      this.observation = observation;
    }

    synchronized void add(CallRunner.Outcome outcome) {
      calls = calls.plus(outcome);
    }

    synchronized CallRunner.Outcome calls() {
      return calls;
    }

    @Override
    public CompletableFuture<?> count(List<PendingText> texts) {
      prepareProvider(); // these texts missed the cache: calls follow once they are counted
      return tokenLimit.apply(texts);
    }

    /** The scheduler counts the texts as it reads them, ahead of packing: none is invalid yet. */
    @Override
    public CompletableFuture<?> countAndSend(List<PendingText> texts) {
      return embed(texts);
    }

    @Override
    public CompletableFuture<?> send(List<PendingText> texts) {
      List<PendingText> sendable = new ArrayList<>(texts.size());
      for (PendingText p : texts) {
        if (p.invalidReason() == null) {
          sendable.add(p);
        }
      }
      return embed(sendable);
    }

    private CompletableFuture<?> embed(List<PendingText> texts) {
      prepareProvider();
      return guarded(
          texts,
          () -> callRunner.run(texts, inputType, cancellation, observation).thenAccept(this::add));
    }
  }

  /**
   * Tells the provider that calls are coming, before their texts are counted: a provider's failure
   * here is its own (logged), never the embed's.
   */
  private void prepareProvider() {
    try {
      provider.prepare();
    } catch (RuntimeException e) {
      LOG.debug("provider {}: prepare() failed; its calls go ahead", provider.id(), e);
    }
  }

  /** The embed's usage, from the tallies of reassembling it, recorded in the meters. */
  private Usage usage(int n, Run run, Reassembler.Reassembled all, long start) {
    long failed = all.failed() + n - all.valid(); // and the invalid inputs
    CallRunner.Outcome calls = run.calls();
    long tokenSum = calls.tokens();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    inputs.increment(n);
    uniqueInputs.increment(all.unique());
    cacheHits.increment(all.cacheHits());
    failures.increment(failed);
    truncations.increment(all.truncated());
    tokens.increment(tokenSum);
    latency.record(elapsed);
    return new Usage(
        n,
        all.unique(),
        all.cacheHits(),
        calls.attempts(),
        calls.attempts() - calls.calls(),
        tokenSum,
        all.truncated(),
        failed,
        elapsed);
  }

  @Override
  public Stream<Embedding> embedStream(Iterator<String> texts, InputType inputType) {
    Objects.requireNonNull(inputType, "inputType");
    return new WindowedEmbedStream(this, texts, settings.streamWindow(), inputType).stream();
  }

  /**
   * The inputs {@link #embedStream} embeds at once ({@code stream-window}), for planning a stream
   * as it will be embedded.
   *
   * @return the window
   */
  public int streamWindow() {
    return settings.streamWindow();
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
  public VectorIdentity identity() {
    return identity;
  }

  /**
   * The first step of closing: new embeds fail at once with an {@link IllegalStateException}; those
   * in flight go on. Idempotent; the close timeout counts from the first call.
   */
  public void stopAccepting() {
    coalescer.close(); // the embeds still waiting for others run now, as if their window had passed
    synchronized (this) {
      if (accepting) {
        closeStarted = System.nanoTime();
        accepting = false;
      }
    }
  }

  /**
   * The last step of closing, after the scheduler has closed (if the instance owns it): in close
   * mode {@code finish}, waits for the embeds in flight to store their answers and complete until
   * {@code closeTimeout} has passed since {@link #stopAccepting()}; then cancels the jobs of those
   * still in flight (at once in mode {@code cancel}), so that each input left unfinished fails with
   * a {@link CancellationException} saying so, and waits up to {@link #CANCELLED_SETTLE_TIMEOUT}
   * for them to complete. Then it stops storing answers that arrive later (the cache is about to
   * close). Idempotent.
   *
   * @param mode {@code scheduler.close-mode}
   * @param closeTimeout {@code scheduler.close-timeout}
   */
  public void awaitSettled(CloseMode mode, Duration closeTimeout) {
    stopAccepting();
    try {
      if (mode == CloseMode.FINISH) {
        long left = closeStarted + closeTimeout.toNanos() - System.nanoTime();
        settle(Math.max(0, left));
      }
      if (!inFlight.isEmpty()) {
        String reason =
            mode == CloseMode.FINISH
                ? "cancelled: the Batchwise instance was closed and its close timeout ("
                    + LocalSchedulerFactory.CLOSE_TIMEOUT.key()
                    + " "
                    + closeTimeout
                    + ") elapsed before this input got its vector"
                : "cancelled: the Batchwise instance was closed ("
                    + LocalSchedulerFactory.CLOSE_MODE.key()
                    + " cancel)";
        inFlight.values().forEach(c -> c.cancel(reason));
      }
      // also when nothing was left to cancel: coalesced callers of a shared embed that just ended
      // may still be getting their results
      if (!settle(CANCELLED_SETTLE_TIMEOUT.toNanos())) {
        LOG.warn(
            "{} embed(s) did not complete within {} of being cancelled; closing the provider under them",
            inFlight.size() + coalesced.size(),
            CANCELLED_SETTLE_TIMEOUT);
      }
    } finally {
      storing = false;
    }
  }

  /**
   * Waits for the embeds in flight now, and the futures of the coalesced callers they serve, to
   * complete, whether or not they fail; true when they all did.
   */
  private boolean settle(long timeoutNanos) {
    CompletableFuture<?>[] running =
        Stream.concat(inFlight.keySet().stream(), coalesced.stream())
            .map(
                f ->
                    f.handle(
                        (r, e) -> null)) // one failing embed must not end the wait for the others
            .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(running).get(timeoutNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a handled future failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "Embedder{provider=" + provider.id() + ", model=" + settings.model().modelId() + "}";
  }
}

package io.batchwise.internal.embed;

import io.batchwise.internal.concurrent.Failures;
import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.PackingPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the texts to embed as one scheduler job whose items are the texts and whose batches are the
 * provider calls, and makes each call: the scheduler packs the texts by the provider's strategy
 * ({@link PackingPolicy#inOrder()} for {@code SINGLE_CALL}, {@link PackingPolicy#lengthSorted}
 * under the model's token-position budget for {@code PARALLEL_GATHER}), counts their tokens ahead
 * of packing on the CPU pool, and owns concurrency, rate limits, timeouts and retries; this class
 * sends each batch to the provider as one observed, metered call whose answer is checked and stored
 * in the cache before the call counts as done. Every job shares the instance's {@link CallLimits}
 * for the provider, so the limits hold across embeds, stream windows and command-line chunks. A
 * failed call fails only its own texts; a text never sent because the job stopped (its timeout, a
 * closing scheduler) fails saying why.
 *
 * <p>Around each provider call, in this order: the call's {@link MeterNames#OBSERVATION_CALL}
 * observation (a child of the embed's, in scope while the provider starts the call, so that a
 * provider's own instrumentation nests under it), the call meters (their latency includes the shape
 * check), the shape check (one vector per text, each of the model's dimensions and finite: a
 * provider that breaks this fails only that call's texts, with a message naming the provider), then
 * the provider. The scheduler owns retries, so none is made here.
 */
final class CallRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

  private final Scheduler scheduler;
  private final EmbeddingProvider provider;
  private final ObservationRegistry observations;
  private final CallMeters meters;
  private final String model;
  private final int dimensions;
  private final JobOptions<PendingText> jobOptions;
  private final Executor blocking;
  private final BooleanSupplier storing;

  /**
   * What running the calls did.
   *
   * @param calls provider calls started
   * @param attempts call attempts, retries included
   * @param tokens the tokens of the calls started
   */
  record Outcome(long calls, long attempts, long tokens) {
    static final Outcome NONE = new Outcome(0, 0, 0);

    Outcome plus(Outcome other) {
      return new Outcome(calls + other.calls, attempts + other.attempts, tokens + other.tokens);
    }
  }

  /**
   * @param scheduler runs the calls
   * @param provider makes them
   * @param limit counts and limits a text the scheduler reads uncounted
   * @param settings the model's limits and the call settings
   * @param limits the instance's limits for the provider, shared by every embed
   * @param registry records the call meters
   * @param observations records an observation per call attempt ({@link ObservationRegistry#NOOP}
   *     for none)
   * @param blocking where answered calls are stored, off the provider's threads
   * @param storing false once the embedder has closed: a late answer is then not stored
   */
  CallRunner(
      Scheduler scheduler,
      EmbeddingProvider provider,
      TokenLimitStage limit,
      EmbedSettings settings,
      CallLimits limits,
      MeterRegistry registry,
      ObservationRegistry observations,
      Executor blocking,
      BooleanSupplier storing) {
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.storing = storing;
    this.provider = provider;
    this.observations = observations;
    ModelInfo model = settings.model();
    this.model = model.modelId();
    this.dimensions = model.dimensions();
    this.meters = new CallMeters(registry, provider.id(), model.modelId());
    BatchStrategy strategy = provider.batchStrategy();
    PackingPolicy packing =
        strategy == BatchStrategy.SINGLE_CALL
            ? PackingPolicy.inOrder()
            : PackingPolicy.lengthSorted(model.microBatchTokenBudget());
    JobOptions.Builder<PendingText> options =
        JobOptions.<PendingText>builder()
            .name("embed")
            .maxItems(model.maxInputsPerCall())
            .maxTokens(model.maxTokensPerCall())
            .contextWindow(
                model.maxTokensPerCall()) // at least the per-input limit every sent text keeps
            .packing(packing.countingAhead())
            .tokenCounter(limit::tokensToSend)
            .byteWeigher(p -> 2L * p.sent().length() + 64)
            .concurrency(settings.concurrency())
            .batchTimeout(settings.callTimeout())
            .retryPolicy(settings.retryPolicy());
    settings.jobTimeout().ifPresent(options::jobTimeout);
    // concurrency and the per-minute limits are the instance's, shared with every other embed
    this.jobOptions = limits.applyTo(options).build();
  }

  /**
   * Embeds {@code texts}, giving each its vector or failure (a text over the per-input limit keeps
   * its invalid reason).
   *
   * @param texts the texts to send, counted or not (the scheduler counts those not yet counted)
   * @param inputType what the texts are embedded as, passed to every call
   * @param cancellation the embed's: cancelling it cancels the job
   * @param embed the embed's observation, the parent of each call's
   * @return calls, attempts and tokens sent
   */
  CompletableFuture<Outcome> run(
      List<PendingText> texts, InputType inputType, Cancellation cancellation, Observation embed) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.NONE);
    }
    AtomicLong calls = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    Agent<PendingText, float[]> agent =
        batch -> {
          attempts.incrementAndGet();
          if (batch.attempt() == 1) {
            calls.incrementAndGet();
          }
          return call(batch, inputType, cancellation, embed);
        };
    // nobody waits for this embed any more, or the instance closed: its texts fail saying why
    cancellation.throwIfCancelled();
    Job<PendingText, float[]> job =
        scheduler.submit(
            texts.iterator(), agent, jobOptions.toBuilder().sizeHint(texts.size()).build());
    cancellation.add(job); // cancels it at once if the embed was cancelled meanwhile
    return job.completion()
        .thenApply(
            result -> {
              // each answered text has its vector already (recorded as its call was stored): the
              // job's results are read for the failures only, by index, each once
              List<ItemResult<PendingText, float[]>> results = result.results();
              for (int i = 0, n = results.size(); i < n; i++) {
                ItemResult<PendingText, float[]> r = results.get(i);
                PendingText p = r.item();
                if (!r.succeeded()
                    && p.invalidReason() == null) { // a text that cannot be sent keeps its reason
                  p.failed(
                      r.error() != null
                          ? cancellation.explain(r.error())
                          : new IllegalStateException(
                              "provider call " + r.status().name().toLowerCase(Locale.ROOT)));
                }
              }
              failUnsent(texts, result);
              return new Outcome(calls.get(), attempts.get(), result.progress().tokens());
            });
  }

  /**
   * One attempt of one provider call: observed, metered and shape-checked; done once its vectors
   * are stored, so that a run killed part-way keeps every answer. Cancelling the future it returns
   * (a timeout, a stopped job) cancels the provider's own.
   */
  private CompletableFuture<List<float[]>> call(
      Batch<PendingText> batch, InputType inputType, Cancellation cancellation, Observation embed) {
    List<PendingText> call = batch.items();
    List<String> sent = new ArrayList<>(call.size());
    for (PendingText p : call) {
      sent.add(p.sent());
    }
    // the provider reports when the service has answered, so decoding the answer does not hold the
    // slot; it sees the call cancelled once nobody waits for it (timed out, job or embed cancelled)
    AtomicBoolean abandoned = new AtomicBoolean();
    CallContext context =
        CallContext.of(
            inputType, batch::releaseSlot, () -> abandoned.get() || cancellation.isCancelled());
    Observation observation = observe(embed, sent.size(), batch.tokens(), batch.attempt());
    meters.calls.increment();
    long start = System.nanoTime();
    CompletableFuture<List<float[]>> providerCall;
    try (Observation.Scope scope = observation.openScope()) {
      providerCall = send(sent, context);
    }
    CompletableFuture<List<float[]>> checked =
        providerCall
            .thenApply(vectors -> checkShape(vectors, sent.size()))
            .whenComplete(
                (vectors, failure) -> {
                  meters.record(System.nanoTime() - start, batch.tokens(), vectors, failure);
                  if (failure != null) {
                    observation.error(Failures.unwrap(failure));
                  }
                  observation.stop();
                });
    CompletableFuture<List<float[]>> answer =
        checked
            .thenCompose(vectors -> store(call, vectors))
            .thenApply(vectors -> answer(call, vectors));
    // a timeout or a stopped job cancels what the scheduler holds: once nobody waits for the
    // answer, the provider's call stops too (when the answer failed because the call did, this does
    // nothing)
    answer.whenComplete(
        (v, e) -> {
          if (e != null) {
            abandoned.set(true);
            providerCall.cancel(true);
          }
        });
    return answer;
  }

  /**
   * Stores the vectors of one answered call in the cache, each through the hand-over of the lookup
   * that missed its text, as the call is answered rather than when the whole embed ends: a run
   * killed part-way keeps every answer it received, and a rerun sends only the rest. A store that
   * fails is logged and never fails the call (a cache outage costs a miss later, not an input now).
   *
   * @return the vectors, once stored
   */
  private CompletableFuture<List<float[]>> store(List<PendingText> texts, List<float[]> vectors) {
    Map<Consumer<Map<CacheKey, float[]>>, Map<CacheKey, float[]>> byStore =
        new IdentityHashMap<>(2);
    for (int i = 0; i < texts.size(); i++) {
      CacheStage.Miss miss = texts.get(i).miss();
      if (miss != null) {
        byStore.computeIfAbsent(miss.store(), s -> new HashMap<>()).put(miss.key(), vectors.get(i));
      }
    }
    if (byStore.isEmpty() || !storing.getAsBoolean()) {
      return CompletableFuture.completedFuture(vectors);
    }
    CompletableFuture<?>[] stores = new CompletableFuture<?>[byStore.size()];
    int i = 0;
    for (Map.Entry<Consumer<Map<CacheKey, float[]>>, Map<CacheKey, float[]>> e :
        byStore.entrySet()) {
      stores[i++] = storeOne(e.getKey(), e.getValue());
    }
    return CompletableFuture.allOf(stores).thenApply(done -> vectors);
  }

  private CompletableFuture<Void> storeOne(
      Consumer<Map<CacheKey, float[]>> store, Map<CacheKey, float[]> entries) {
    try {
      return CompletableFuture.runAsync(() -> store.accept(entries), blocking)
          .exceptionally(
              e -> {
                LOG.warn(
                    "could not cache {} vectors of an answered call: {}",
                    entries.size(),
                    e.toString());
                return null;
              });
    } catch (RejectedExecutionException e) {
      LOG.warn(
          "could not cache {} vectors of an answered call: the instance is closing",
          entries.size());
      return CompletableFuture.completedFuture(null);
    }
  }

  /** The provider's call, or its failure when it throws or returns no future. */
  private CompletableFuture<List<float[]>> send(List<String> texts, CallContext context) {
    try {
      CompletableFuture<List<float[]>> f = provider.embed(texts, context);
      if (f == null) {
        return CompletableFuture.failedFuture(
            CallFailedException.permanent(
                "provider '" + provider.id() + "' returned null instead of a future", null));
      }
      return f;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The call attempt's observation, started, a child of its embed's. */
  private Observation observe(Observation embed, int inputs, long tokens, int attempt) {
    return Observation.createNotStarted(MeterNames.OBSERVATION_CALL, observations)
        .parentObservation(embed)
        .contextualName(MeterNames.GEN_AI_OPERATION_EMBEDDINGS + " " + model)
        .lowCardinalityKeyValue(MeterNames.TAG_PROVIDER, provider.id())
        .lowCardinalityKeyValue(MeterNames.TAG_MODEL, model)
        .lowCardinalityKeyValue(
            MeterNames.GEN_AI_OPERATION_NAME, MeterNames.GEN_AI_OPERATION_EMBEDDINGS)
        .lowCardinalityKeyValue(MeterNames.GEN_AI_PROVIDER_NAME, provider.id())
        .lowCardinalityKeyValue(MeterNames.GEN_AI_REQUEST_MODEL, model)
        .highCardinalityKeyValue(MeterNames.KEY_INPUTS, Integer.toString(inputs))
        .highCardinalityKeyValue(MeterNames.KEY_TOKENS, Long.toString(tokens))
        .highCardinalityKeyValue(MeterNames.KEY_ATTEMPT, Integer.toString(attempt))
        .start();
  }

  /** The provider's answer when it has one vector per text, each of the model's shape. */
  private List<float[]> checkShape(List<float[]> vectors, int expected) {
    if (vectors == null || vectors.size() != expected) {
      throw CallFailedException.permanent(
          "provider '"
              + provider.id()
              + "' returned "
              + (vectors == null ? "null" : vectors.size() + " vectors")
              + " for "
              + expected
              + " texts",
          null);
    }
    for (int i = 0; i < expected; i++) {
      String problem = VectorShape.problem(vectors.get(i), dimensions);
      if (problem != null) {
        throw CallFailedException.permanent(
            "provider '"
                + provider.id()
                + "' returned "
                + problem
                + " for text "
                + i
                + " of the call",
            null);
      }
    }
    return vectors;
  }

  /**
   * Records each text's vector of a stored call on the text itself, where the embed reads it: the
   * answer goes from the call to its texts, not round through the job's result for each.
   *
   * @return the vectors, for the job's own account of the call
   */
  private static List<float[]> answer(List<PendingText> texts, List<float[]> vectors) {
    for (int i = 0, n = texts.size(); i < n; i++) {
      texts.get(i).answered(vectors.get(i));
    }
    return vectors;
  }

  /** Texts the job never sent (it stopped before reading them) fail with the reason it stopped. */
  private static void failUnsent(List<PendingText> texts, JobResult<PendingText, float[]> result) {
    if (result.stoppedEarly().isEmpty()) {
      return; // the job read every text and gave each a result
    }
    String reason = result.stoppedEarly().orElse("the job ended");
    CancellationException notSent = null;
    for (PendingText p : texts) {
      if (!p.done()) {
        notSent =
            notSent != null ? notSent : new CancellationException(reason + " before it was sent");
        p.failed(notSent);
      }
    }
  }

  /**
   * The call meters: every attempt counted and timed, tagged by provider, model and outcome, the
   * vectors of each answered call counted, and the same calls in the OpenTelemetry GenAI client
   * histograms ({@link MeterNames#GEN_AI_OPERATION_DURATION}, {@link
   * MeterNames#GEN_AI_TOKEN_USAGE}).
   */
  private static final class CallMeters {
    /**
     * The GenAI conventions give durations in seconds whatever the registry's base time unit is.
     */
    private static final double NANOS_PER_SECOND = 1e9;

    private final MeterRegistry registry;
    private final Counter calls;
    private final Counter vectors;
    private final Timer success;
    private final Timer failure;
    private final Tags genAi;
    private final DistributionSummary duration;
    private final DistributionSummary tokenUsage;

    CallMeters(MeterRegistry registry, String providerId, String model) {
      this.registry = registry;
      this.calls =
          counter(registry, providerId, model, MeterNames.EMBED_CALLS, "provider call attempts");
      this.vectors =
          counter(
              registry,
              providerId,
              model,
              MeterNames.EMBED_VECTORS,
              "vectors returned by answered provider calls");
      this.success = timer(registry, providerId, model, "success");
      this.failure = timer(registry, providerId, model, "failure");
      this.genAi =
          Tags.of(
              MeterNames.GEN_AI_OPERATION_NAME,
              MeterNames.GEN_AI_OPERATION_EMBEDDINGS,
              MeterNames.GEN_AI_PROVIDER_NAME,
              providerId,
              MeterNames.GEN_AI_REQUEST_MODEL,
              model);
      this.duration = duration(Tags.empty());
      this.tokenUsage =
          DistributionSummary.builder(MeterNames.GEN_AI_TOKEN_USAGE)
              .tags(genAi)
              .tag(MeterNames.GEN_AI_TOKEN_TYPE, MeterNames.GEN_AI_TOKEN_TYPE_INPUT)
              .baseUnit("{token}")
              .description("Measures number of input and output tokens used")
              .register(registry);
    }

    private static Counter counter(
        MeterRegistry registry, String providerId, String model, String name, String description) {
      return Counter.builder(name)
          .tag(MeterNames.TAG_PROVIDER, providerId)
          .tag(MeterNames.TAG_MODEL, model)
          .description(description)
          .register(registry);
    }

    private static Timer timer(
        MeterRegistry registry, String providerId, String model, String outcome) {
      return Timer.builder(MeterNames.EMBED_CALL_LATENCY)
          .tag(MeterNames.TAG_PROVIDER, providerId)
          .tag(MeterNames.TAG_MODEL, model)
          .tag(MeterNames.TAG_OUTCOME, outcome)
          .description("one provider call")
          .register(registry);
    }

    /**
     * The duration histogram with the GenAI tags and {@code extra}; the registry keeps one per tag
     * set.
     */
    private DistributionSummary duration(Tags extra) {
      return DistributionSummary.builder(MeterNames.GEN_AI_OPERATION_DURATION)
          .tags(genAi.and(extra))
          .baseUnit("s")
          .description("GenAI operation duration")
          .register(registry);
    }

    /** Records one ended attempt: its vectors when answered, else its failure. */
    void record(long nanos, long tokens, List<float[]> answered, Throwable error) {
      (error == null ? success : failure).record(nanos, TimeUnit.NANOSECONDS);
      if (error == null) {
        duration.record(nanos / NANOS_PER_SECOND);
        tokenUsage.record(tokens);
        vectors.increment(answered.size());
      } else {
        duration(Tags.of(MeterNames.ERROR_TYPE, Failures.unwrap(error).getClass().getName()))
            .record(nanos / NANOS_PER_SECOND);
      }
    }
  }
}

package io.batchwise.internal.embed;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.PackingPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the texts to embed as one scheduler job whose items are the texts and whose batches are the
 * provider calls: the scheduler packs them by the provider's strategy ({@link
 * PackingPolicy#inOrder()} for {@code SINGLE_CALL}, {@link PackingPolicy#lengthSorted} under the
 * model's token-position budget for {@code PARALLEL_GATHER}), counts their tokens ahead of packing
 * on the CPU pool, and owns concurrency, rate limits, timeouts and retries. Every job shares the
 * instance's {@link CallLimits} for the provider, so the limits hold across embeds, stream windows
 * and command-line chunks. A failed call fails only its own texts; a text never sent because the
 * job stopped (its timeout, a closing scheduler) fails saying why.
 */
final class CallRunner {
  private final Scheduler scheduler;
  private final ProviderCallChain chain;
  private final JobOptions<PendingText> jobOptions;

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
   * @param chain the interceptors and the provider
   * @param limit counts and limits a text the scheduler reads uncounted
   * @param strategy the provider's batch strategy, which picks the packing
   * @param settings the model's limits and the call settings
   * @param limits the instance's limits for the provider, shared by every embed
   */
  CallRunner(
      Scheduler scheduler,
      ProviderCallChain chain,
      TokenLimitStage limit,
      BatchStrategy strategy,
      EmbedSettings settings,
      CallLimits limits) {
    this.scheduler = scheduler;
    this.chain = chain;
    ModelInfo model = settings.model();
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
            .byteWeigher(p -> 2L * p.sent.length() + 64)
            .concurrency(settings.concurrency())
            .batchTimeout(settings.callTimeout())
            .retryPolicy(settings.retryPolicy());
    settings.jobTimeout().ifPresent(options::jobTimeout);
    // concurrency and the per-minute limits are the instance's, shared with every other embed
    this.jobOptions = limits.applyTo(options).build();
  }

  /**
   * Embeds {@code texts}, setting each one's vector or error (a text over the per-input limit keeps
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
          List<PendingText> call = batch.items();
          List<String> sent = new ArrayList<>(call.size());
          for (PendingText p : call) {
            sent.add(p.sent);
          }
          // the provider reports when the service has answered: decoding the answer does not hold
          // the slot;
          // it sees the call cancelled once nobody waits for it (timed out, job or embed cancelled)
          AtomicBoolean abandoned = new AtomicBoolean();
          CallContext context =
              CallContext.of(
                  inputType,
                  batch::releaseSlot,
                  () -> abandoned.get() || cancellation.isCancelled());
          CompletableFuture<List<float[]>> vectors =
              chain.call(
                  sent,
                  new CallInterceptor.CallInfo(batch.tokens(), batch.attempt(), embed),
                  context);
          // the call is done once its vectors are cached, so a run killed part-way keeps every
          // answer
          CompletableFuture<List<float[]>> answer =
              vectors.thenCompose(v -> AnswerStore.keep(call, v));
          answer.whenComplete((v, e) -> abandoned.set(e != null));
          // a timeout or a stopped job cancels what the scheduler holds: pass it on to the provider
          // call
          return Cancellation.propagate(answer, vectors);
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
              List<ItemResult<PendingText, float[]>> results = result.results();
              for (int i = 0, n = results.size();
                  i < n;
                  i++) { // by index: each result is read once, then dropped
                ItemResult<PendingText, float[]> r = results.get(i);
                PendingText p = r.item();
                if (r.succeeded()) {
                  p.vector = r.output();
                } else if (p.invalidReason == null) { // an invalid text keeps its own reason
                  p.error =
                      r.error() != null
                          ? cancellation.explain(r.error())
                          : new IllegalStateException(
                              "provider call " + r.status().name().toLowerCase(Locale.ROOT));
                }
              }
              failUnsent(texts, result);
              return new Outcome(calls.get(), attempts.get(), result.progress().tokens());
            });
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
        p.error = notSent;
      }
    }
  }
}

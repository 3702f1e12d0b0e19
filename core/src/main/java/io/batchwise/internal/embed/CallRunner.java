package io.batchwise.internal.embed;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Packs the texts to embed into provider calls and runs them as one scheduler job, one call per
 * batch: the scheduler owns concurrency, rate limits, timeouts and retries. Every job shares the
 * instance's {@link CallLimits} for the provider, so the limits hold across embeds, stream windows
 * and command-line chunks. A failed call fails only its own texts; a text never sent because the job
 * stopped (its timeout, a closing scheduler) fails saying why.
 */
final class CallRunner {
  private final Scheduler scheduler;
  private final BatchPacker packer;
  private final ProviderCallChain chain;
  private final JobOptions<ProviderCall> jobOptions;
  private final int maxInputs;
  private final long maxTokensPerCall;
  private final int concurrency;
  private final Executor cpu;
  /** The most texts counted ahead of the call being packed: bounds what read-ahead holds in memory. */
  private static final int MAX_LOOKAHEAD = 1 << 16;
  /**
   * Waves of calls (one call per slot) counted ahead: two, so that counting the last wave does not
   * compete with decoding the first answers; more waves only hold more counted texts in memory
   * (benchmarks/README.md, "Findings behind the defaults").
   */
  private static final int LOOKAHEAD_WAVES = 2;

  /** One provider call: the texts it carries and their tokens. */
  record ProviderCall(List<PendingText> texts, long tokens) {}

  /** What running the calls did. */
  record Outcome(long calls, long attempts) {}

  CallRunner(Scheduler scheduler, BatchPacker packer, ProviderCallChain chain, EmbedSettings settings,
      CallLimits limits, Executor cpu) {
    this.scheduler = scheduler;
    this.cpu = cpu;
    this.concurrency = settings.concurrency();
    this.maxInputs = settings.model().maxInputsPerCall();
    this.maxTokensPerCall = settings.model().maxTokensPerCall();
    this.packer = packer;
    this.chain = chain;
    JobOptions.Builder<ProviderCall> options = JobOptions.<ProviderCall>builder()
        .name("embed")
        .maxItems(1) // the packer already made each call; the scheduler runs them
        .maxTokens(Long.MAX_VALUE / 4)
        .contextWindow(Long.MAX_VALUE / 4)
        .tokenCounter(ProviderCall::tokens)
        .byteWeigher(CallRunner::bytes)
        .concurrency(settings.concurrency())
        .batchTimeout(settings.callTimeout())
        .retryPolicy(settings.retryPolicy());
    settings.jobTimeout().ifPresent(options::jobTimeout);
    // concurrency and the per-minute limits are the instance's, shared with every other embed
    this.jobOptions = limits.applyTo(options).build();
  }

  private static long bytes(ProviderCall call) {
    long b = 0;
    for (PendingText p : call.texts()) {
      b += 2L * p.sent.length() + 64;
    }
    return b;
  }

  /**
   * Embeds {@code texts}, setting each one's vector or error.
   *
   * @param texts the texts to send, each with its token count
   * @param inputType what the texts are embedded as, passed to every call
   * @param cancellation the embed's: cancelling it cancels the job
   * @param embed the embed's observation, the parent of each call's
   * @return calls and attempts made
   */
  CompletableFuture<Outcome> run(List<PendingText> texts, InputType inputType, Cancellation cancellation,
      Observation embed) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome(0, 0));
    }
    int[] tokens = new int[texts.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = texts.get(i).tokens;
    }
    List<ProviderCall> calls = new ArrayList<>();
    for (int[] positions : packer.pack(tokens)) {
      List<PendingText> callTexts = new ArrayList<>(positions.length);
      long sum = 0;
      for (int pos : positions) {
        callTexts.add(texts.get(pos));
        sum += tokens[pos];
      }
      calls.add(new ProviderCall(callTexts, sum));
    }
    return runCalls(calls.iterator(), calls, calls.size(), texts, inputType, cancellation, embed);
  }

  /**
   * {@code SINGLE_CALL} without waiting for every count: texts are packed in input order as the
   * scheduler pulls the next call, and counted and limited on the CPU pool a little ahead of that
   * (see {@link #lookahead()}), so the first request leaves after counting only its own texts and
   * the counting for later calls overlaps the calls in flight.
   *
   * @param texts the cache misses, not yet counted
   * @param limit counts and limits one text
   * @param sent receives every text that is packed into a call
   * @param inputType what the texts are embedded as, passed to every call
   * @param cancellation the embed's: cancelling it cancels the job
   * @param embed the embed's observation, the parent of each call's
   * @return calls and attempts made
   */
  CompletableFuture<Outcome> runStreaming(List<PendingText> texts, TokenLimitStage limit, List<PendingText> sent,
      InputType inputType, Cancellation cancellation, Observation embed) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome(0, 0));
    }
    List<ProviderCall> created = Collections.synchronizedList(new ArrayList<>());
    ReadAheadCounter counted = new ReadAheadCounter(
        texts, limit, cpu, TokenLimitStage.CHUNK, lookahead(), Runtime.getRuntime().availableProcessors());
    Iterator<ProviderCall> source = new Iterator<>() {
      private int next;
      private PendingText pending = advance();

      private PendingText advance() {
        while (next < texts.size()) {
          PendingText p = counted.get(next++);
          if (p.invalidReason == null) {
            return p;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public ProviderCall next() {
        if (pending == null) {
          throw new NoSuchElementException();
        }
        List<PendingText> call = new ArrayList<>();
        long sum = 0;
        while (pending != null
            && !GreedyBatchPacker.startsNewCall(call.size(), sum, pending.tokens, maxInputs, maxTokensPerCall)) {
          call.add(pending);
          sum += pending.tokens;
          pending = advance();
        }
        sent.addAll(call);
        ProviderCall c = new ProviderCall(call, sum);
        created.add(c);
        return c;
      }
    };
    return runCalls(source, created, texts.size() / Math.max(1, maxInputs) + 1, texts, inputType, cancellation,
        embed);
  }

  /** Texts the job never sent (it stopped before reading their call) fail with the reason it stopped. */
  private static void failUnsent(List<PendingText> texts, JobResult<ProviderCall, List<float[]>> result) {
    String reason = result.stoppedEarly().orElse("the job ended");
    CancellationException notSent = null;
    for (PendingText p : texts) {
      if (!p.done()) {
        notSent = notSent != null ? notSent : new CancellationException(reason + " before it was sent");
        p.error = notSent;
      }
    }
  }

  /**
   * How many texts the streaming path counts ahead of the call being packed: the texts of
   * {@value #LOOKAHEAD_WAVES} more calls per call slot, so the next wave of calls is ready when slots
   * free and the wave after it is counted while the calls are in flight, not when their answers
   * arrive and are decoded; capped so that a model without a per-call input limit does not count its
   * whole input in advance.
   */
  private int lookahead() {
    long waves = (long) LOOKAHEAD_WAVES * concurrency * Math.min(maxInputs, MAX_LOOKAHEAD);
    return (int) Math.min(MAX_LOOKAHEAD, Math.max(TokenLimitStage.CHUNK, waves));
  }

  /**
   * Runs the calls as one job.
   *
   * @param source the calls, read as the scheduler pulls them
   * @param calls every call made from the source, by its position
   * @param sizeHint the number of calls expected
   * @param texts every text the calls are made of; those in no finished call fail with the job's stop
   * @param inputType what the texts are embedded as
   * @param cancellation the embed's
   * @param embed the embed's observation
   */
  private CompletableFuture<Outcome> runCalls(Iterator<ProviderCall> source, List<ProviderCall> calls,
      long sizeHint, List<PendingText> texts, InputType inputType, Cancellation cancellation, Observation embed) {
    AtomicLong attempts = new AtomicLong();
    Agent<ProviderCall, List<float[]>> agent = batch -> {
      attempts.incrementAndGet();
      ProviderCall call = batch.items().get(0);
      List<String> sent = new ArrayList<>(call.texts().size());
      for (PendingText p : call.texts()) {
        sent.add(p.sent);
      }
      // the provider reports when the service has answered: decoding the answer does not hold the slot;
      // it sees the call cancelled once nobody waits for it (timed out, job or embed cancelled)
      AtomicBoolean abandoned = new AtomicBoolean();
      CallContext context = CallContext.of(
          inputType, batch::releaseSlot, () -> abandoned.get() || cancellation.isCancelled());
      CompletableFuture<List<float[]>> vectors =
          chain.call(sent, new CallInterceptor.CallInfo(call.tokens(), batch.attempt(), embed), context);
      // the call is done once its vectors are cached, so a run killed part-way keeps every answer
      CompletableFuture<List<List<float[]>>> answer =
          vectors.thenCompose(v -> AnswerStore.keep(call.texts(), v)).thenApply(List::of);
      answer.whenComplete((v, e) -> abandoned.set(e != null));
      // a timeout or a stopped job cancels what the scheduler holds: pass it on to the provider call
      return Cancellation.propagate(answer, vectors);
    };
    // nobody waits for this embed any more, or the instance closed: its texts fail saying why
    cancellation.throwIfCancelled();
    Job<ProviderCall, List<float[]>> job = scheduler.submit(source, agent, jobOptions.toBuilder().sizeHint(sizeHint).build());
    cancellation.add(job); // cancels it at once if the embed was cancelled meanwhile
    return job.completion()
        .thenApply(result -> {
          for (ItemResult<ProviderCall, List<float[]>> r : result.results()) {
            ProviderCall call = calls.get((int) r.index());
            if (r.succeeded()) {
              List<float[]> vectors = r.output();
              for (int i = 0; i < call.texts().size(); i++) {
                call.texts().get(i).vector = vectors.get(i);
              }
            } else {
              Throwable error = r.error() != null ? cancellation.explain(r.error())
                  : new IllegalStateException("provider call " + r.status().name().toLowerCase(Locale.ROOT));
              for (PendingText p : call.texts()) {
                p.error = error;
              }
            }
          }
          failUnsent(texts, result);
          return new Outcome(calls.size(), attempts.get());
        });
  }
}

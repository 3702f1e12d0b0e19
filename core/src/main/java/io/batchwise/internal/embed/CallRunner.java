package io.batchwise.internal.embed;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.CallPacer;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Packs the texts to embed into provider calls and runs them as one scheduler job, one call per
 * batch: the scheduler owns concurrency, rate limits, timeouts and retries. A failed call fails only
 * its own texts.
 */
final class CallRunner {
  private final Scheduler scheduler;
  private final BatchPacker packer;
  private final ProviderCallChain chain;
  private final JobOptions<ProviderCall> jobOptions;
  private final CallPacer pacer;
  private final int maxInputs;
  private final long maxTokensPerCall;
  private final int concurrency;
  private final java.util.concurrent.Executor cpu;
  /** The most texts counted ahead of the call being packed (tens of thousands count in well under a second). */
  private static final int MAX_LOOKAHEAD = 1 << 16;
  /**
   * Waves of calls (one call per slot) counted ahead. Measured on the openai latency benchmark
   * (20,000 texts, 4 slots, 2 cores, paired rounds): two waves took 8–11 ms off a 370 ms median
   * against one, because the last wave's counting no longer competes with decoding the first
   * answers; four waves gained nothing more.
   */
  private static final int LOOKAHEAD_WAVES = 2;

  /** One provider call: the texts it carries and their tokens. */
  record ProviderCall(List<PendingText> texts, long tokens) {}

  /** What running the calls did. */
  record Outcome(long calls, long attempts) {}

  CallRunner(Scheduler scheduler, BatchPacker packer, ProviderCallChain chain, EmbedSettings settings,
      CallPacer pacer, java.util.concurrent.Executor cpu) {
    this.scheduler = scheduler;
    this.cpu = cpu;
    this.concurrency = settings.concurrency();
    this.pacer = pacer;
    this.maxInputs = settings.model().maxInputsPerCall();
    this.maxTokensPerCall = settings.model().maxTokensPerCall();
    this.packer = packer;
    this.chain = chain;
    this.jobOptions = JobOptions.<ProviderCall>builder()
        .name("embed")
        .maxItems(1) // the packer already made each call; the scheduler runs them
        .maxTokens(Long.MAX_VALUE / 4)
        .contextWindow(Long.MAX_VALUE / 4)
        .tokenCounter(ProviderCall::tokens)
        .byteWeigher(CallRunner::bytes)
        .concurrency(settings.concurrency())
        .batchTimeout(settings.callTimeout())
        .retryPolicy(settings.retryPolicy())
        .requestsPerMinute(settings.requestsPerMinute())
        .tokensPerMinute(settings.tokensPerMinute())
        .build();
  }

  /** The stricter of two limits where 0 means none: the user's setting or the service's report. */
  static long lower(long configured, long reported) {
    if (configured <= 0) {
      return Math.max(0, reported);
    }
    return reported <= 0 ? configured : Math.min(configured, reported);
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
   * @param cancellation the embed's, which records the job and may cancel it
   * @return calls and attempts made
   */
  CompletableFuture<Outcome> run(List<PendingText> texts, EmbedCancellation cancellation) {
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
    return runCalls(calls.iterator(), calls, calls.size(), cancellation);
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
   * @param cancellation the embed's, which records the job and may cancel it
   * @return calls and attempts made
   */
  CompletableFuture<Outcome> runStreaming(
      List<PendingText> texts, TokenLimitStage limit, List<PendingText> sent, EmbedCancellation cancellation) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome(0, 0));
    }
    List<ProviderCall> created = java.util.Collections.synchronizedList(new ArrayList<>());
    ReadAheadCounter counted = new ReadAheadCounter(
        texts, limit, cpu, TokenLimitStage.CHUNK, lookahead(), Runtime.getRuntime().availableProcessors());
    java.util.Iterator<ProviderCall> source = new java.util.Iterator<>() {
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
          throw new java.util.NoSuchElementException();
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
    return runCalls(source, created, texts.size() / Math.max(1, maxInputs) + 1, cancellation);
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

  private CompletableFuture<Outcome> runCalls(java.util.Iterator<ProviderCall> source, List<ProviderCall> calls,
      long sizeHint, EmbedCancellation cancellation) {
    cancellation.throwIfCancelled();
    AtomicLong attempts = new AtomicLong();
    Agent<ProviderCall, List<float[]>> agent = batch -> {
      attempts.incrementAndGet();
      ProviderCall call = batch.items().get(0);
      List<String> sent = new ArrayList<>(call.texts().size());
      for (PendingText p : call.texts()) {
        sent.add(p.sent);
      }
      // the provider reports when the service has answered: decoding the answer does not hold the slot;
      // the call is done once its vectors are cached, so a run killed part-way keeps every answer
      return chain.call(sent, batch::releaseSlot)
          .thenCompose(vectors -> AnswerStore.keep(call.texts(), vectors))
          .thenApply(List::of);
    };
    JobOptions<ProviderCall> options = jobOptions.toBuilder()
        .sizeHint(sizeHint)
        .requestsPerMinute((int) lower(jobOptions.requestsPerMinute(), pacer.requestsPerMinute()))
        .tokensPerMinute(lower(jobOptions.tokensPerMinute(), pacer.tokensPerMinute()))
        .pacer(pacer)
        .build();
    Job<ProviderCall, List<float[]>> job = scheduler.submit(source, agent, options);
    cancellation.started(job);
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
                  : new IllegalStateException("provider call " + r.status().name().toLowerCase(java.util.Locale.ROOT));
              for (PendingText p : call.texts()) {
                p.error = error;
              }
            }
          }
          return new Outcome(calls.size(), attempts.get());
        });
  }
}

package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.Progress;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running job of the {@link LocalScheduler}.
 *
 * <p>All of the job's state changes in one drain loop that runs on the CPU executor, one thread at
 * a time: agent answers, timeouts, retry timers and cancellation only post events to it. Each pass
 * handles the events, then starts batches while every gate is open — the concurrency limit, the
 * subscribers' lag, the token budget, the in-flight bytes budget, the job's own rate limits, a
 * permit from a pool shared with other jobs, and the wait the pacer reserved — reading the source
 * only for the batch it is about to start. That is the backpressure: nothing is read that cannot
 * run. A batch whose agent released its slot ({@link Batch#releaseSlot()}) stops counting toward
 * the concurrency limit but stays running until its stage completes; at most the limit's worth of
 * batches hold a released slot at once (so at most twice the limit run), later releases wait for a
 * released batch to finish; should a released batch be retried, the retry waits for a free slot
 * ahead of new batches. A shared permit ({@link JobOptions#permits()}) is held exactly while a
 * batch holds its slot: from before its start is reserved until it finishes or releases its slot.
 * When the job's timeout passes, everything unfinished fails and the job completes. {@link
 * #progress()} reads an immutable snapshot the loop publishes after each pass.
 *
 * @param <I> the item type
 * @param <O> the output type
 */
final class LocalJob<I, O> implements Job<I, O> {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);
  private static final int RUNNING = 0;
  private static final int CANCELLING = 1;
  private static final int DONE = 2;

  /** Subscribers may fall this many results behind before the job stops starting batches. */
  private static final int MIN_PUBLISH_BUFFER = Flow.defaultBufferSize();

  private static final int MAX_PUBLISH_BUFFER = 1 << 16;

  /** The most results sized for in advance: a wrong hint must not cost much memory. */
  private static final int MAX_PRESIZED_RESULTS = 1 << 20;

  private final JobContext context;
  private final Agent<I, O> agent;
  private final JobOptions<I> options;
  private final JobMeters meters;
  private final BatchPacker<I> packer;
  private final ConcurrencyLimit limit;
  private final BatchSizer sizer;
  private final RateWindow rate;
  private final Backoff backoff;
  private final long timeoutNanos;
  private final SubmissionPublisher<ItemResult<I, O>> publisher;
  private final int publishBuffer;
  private final RetainedResults<I, O> retained;
  private final CompletableFuture<JobResult<I, O>> completion = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final long startNanos;
  private final Runnable onDone;
  private volatile String cancelReason;

  /** The cancellation is the job timeout's: unfinished items fail rather than end cancelled. */
  private volatile boolean deadlinePassed;

  /**
   * What a refused permit request runs when a permit frees; one instance, so the pool keeps it
   * once.
   */
  private final Runnable permitWake = this::signal;

  private volatile boolean publishGated;
  private volatile Counts counts = Counts.ZERO;

  // touched only by the drain loop
  private final Set<BatchRun<I>> running = new LinkedHashSet<>();

  /** Running batches that gave back their slot (see {@link Batch#releaseSlot()}). */
  private int released;

  /**
   * Batches whose release waits because as many as the concurrency limit already hold a released
   * slot (so at most twice the limit run at once), oldest first.
   */
  private final ArrayDeque<BatchRun<I>> releasesWaiting = new ArrayDeque<>();

  /** Released batches whose retry is due and waits for a slot, oldest first. */
  private final ArrayDeque<BatchRun<I>> retriesWaitingForSlot = new ArrayDeque<>();

  private PackedBatch<I> ready;

  /** The ready batch holds a shared permit. */
  private boolean readyHoldsPermit;

  /** The ready batch's start is reserved with the pacer, for {@link #readyStartAt}. */
  private boolean readyReserved;

  private long readyStartAt;
  private long batchSequence;
  private long inFlightItems;
  private long inFlightBytes;
  private long succeeded;
  private long failed;
  private long cancelled;
  private long skipped;
  private long tokensStarted;
  private long retries;
  private String stopReason;
  private TimeSource.Cancellable wake;
  private long wakeAt;
  private TimeSource.Cancellable deadline = TimeSource.Cancellable.NONE;

  /** The counters {@link #progress()} reads, published together after each pass of the loop. */
  private record Counts(
      long queued,
      long inFlight,
      long succeeded,
      long failed,
      long cancelled,
      long skipped,
      long tokens,
      long retries,
      boolean sourceExhausted,
      long endNanos) {
    static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, false, -1);
  }

  LocalJob(
      JobContext context,
      Iterator<? extends I> source,
      Agent<I, O> agent,
      JobOptions<I> options,
      Runnable onDone) {
    this.context = context;
    this.agent = agent;
    this.options = options;
    this.onDone = onDone;
    this.meters =
        new JobMeters(
            context.registry(),
            options.name(),
            context.inFlightGauge(),
            context.concurrencyGauge());
    this.packer = new BatchPacker<>(source, options, this::reject, context.cpu());
    this.limit = new ConcurrencyLimit(options.concurrency(), options.adaptiveConcurrency());
    Duration target = options.adaptiveBatchSize();
    this.sizer = new BatchSizer(options.maxItems(), target == null ? 0 : target.toNanos());
    this.rate = new RateWindow();
    this.backoff = new Backoff(options.retryPolicy(), context.random());
    this.timeoutNanos = options.batchTimeout().toNanos();
    long wanted = 2L * options.concurrency() * options.maxItems();
    this.publishBuffer =
        (int)
            Math.min(
                MAX_PUBLISH_BUFFER,
                Math.max(MIN_PUBLISH_BUFFER, Long.highestOneBit(Math.max(1, wanted - 1)) << 1));
    this.publisher = new SubmissionPublisher<>(context.delivery(), publishBuffer);
    // sized by the hint, so that a large job's results are not copied as the list grows
    this.retained =
        options.retainResults()
            ? new RetainedResults<>((int) Math.min(MAX_PRESIZED_RESULTS, options.sizeHint()))
            : null;
    this.startNanos = context.time().nanoTime();
    meters.concurrency(limit.current());
    completion.whenComplete(
        (r, e) -> {
          if (e instanceof CancellationException) {
            cancel("the completion future was cancelled");
          }
        });
  }

  /** Starts reading the source, and the job timeout's clock. */
  void start() {
    options
        .jobTimeout()
        .ifPresent(
            timeout ->
                deadline =
                    context.time().schedule(timeout.toNanos(), () -> post(() -> timeOut(timeout))));
    signal();
  }

  /**
   * Drain loop: the job timeout passed; everything unfinished fails (see {@link
   * #cancelEverything}).
   */
  private void timeOut(Duration timeout) {
    // set before the pump of this same pass runs cancelEverything
    deadlinePassed = cancel(JobTimeout.reason(timeout));
  }

  @Override
  public CompletableFuture<JobResult<I, O>> completion() {
    return completion;
  }

  @Override
  public Flow.Publisher<ItemResult<I, O>> results() {
    return subscriber -> publisher.subscribe(new Relay(subscriber));
  }

  @Override
  public Progress progress() {
    Counts c = counts;
    long end = c.endNanos() >= 0 ? c.endNanos() : context.time().nanoTime();
    return new Progress(
        c.queued(),
        c.inFlight(),
        c.succeeded(),
        c.failed(),
        c.cancelled(),
        c.skipped(),
        c.tokens(),
        c.retries(),
        Duration.ofNanos(Math.max(0, end - startNanos)),
        c.sourceExhausted(),
        options.sizeHint());
  }

  @Override
  public boolean cancel() {
    return cancel("cancelled by the caller");
  }

  /**
   * Cancels with a reason that becomes the job's stop reason.
   *
   * @param reason why
   * @return true when this call cancelled the job
   */
  boolean cancel(String reason) {
    if (state.get() != RUNNING) {
      return false;
    }
    if (cancelReason == null) {
      cancelReason = reason; // racing cancels may pick either reason; both are true
    }
    if (!state.compareAndSet(RUNNING, CANCELLING)) {
      return false;
    }
    signal();
    return true;
  }

  /**
   * @return true once the job has completed
   */
  boolean isDone() {
    return state.get() == DONE;
  }

  // ---- the drain loop ------------------------------------------------------------------------

  private void post(Runnable event) {
    events.add(event);
    signal();
  }

  private void signal() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    try {
      context.cpu().execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain(); // the CPU pool is gone (shutdown): finish the work on this thread rather than never
    }
  }

  private void drain() {
    int missed = 1;
    do {
      try {
        Runnable event;
        while ((event = events.poll()) != null) {
          event.run();
        }
        if (state.get() != DONE) {
          pump();
        }
      } catch (Throwable t) {
        LOG.error("job '{}' failed inside the scheduler; cancelling it", options.name(), t);
        cancelReason = "the scheduler failed: " + t;
        state.compareAndSet(RUNNING, CANCELLING);
        try {
          cancelEverything();
          maybeComplete();
        } catch (Throwable again) {
          LOG.error("job '{}' could not be cancelled cleanly", options.name(), again);
        }
      }
      publishCounts();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void pump() {
    if (state.get() == CANCELLING) {
      cancelEverything();
    }
    // retries of batches that gave their slot away come first, and run even after a stop (as
    // retries do)
    while (state.get() == RUNNING
        && !retriesWaitingForSlot.isEmpty()
        && slotsTaken() < limit.current()) {
      if (!takePermit()) {
        break; // a released permit signals us
      }
      BatchRun<I> waiting = retriesWaitingForSlot.poll();
      occupy(waiting);
      waiting.holdsPermit = options.permits().isPresent();
      int number = waiting.retryWaitingForSlot;
      waiting.retryWaitingForSlot = 0;
      startAfterReservation(waiting, number);
    }
    // a ready batch that already holds its permit and reservation goes even while retries wait: the
    // retries may be waiting for that very permit
    while (state.get() == RUNNING
        && stopReason == null
        && (retriesWaitingForSlot.isEmpty() || readyReserved)
        && slotsTaken() < limit.current()) {
      if (publisher.estimateMaximumLag() > publishBuffer / 2) {
        publishGated = true; // a subscriber's next request signals us
        break;
      }
      publishGated = false;
      if (ready == null && !takeNextBatch()) {
        break;
      }
      if (options.tokenBudget() > 0 && tokensStarted + ready.tokens > options.tokenBudget()) {
        stopForBudget();
        break;
      }
      if (!running.isEmpty() && inFlightBytes + ready.bytes > options.inFlightBytes()) {
        break; // a finishing batch frees bytes and signals us
      }
      long now = context.time().nanoTime();
      if (!readyReserved) {
        long wait =
            rate.waitNanos(
                now, ready.tokens, options.requestsPerMinute(), options.tokensPerMinute());
        if (wait > 0) {
          wakeAt(now + wait);
          break;
        }
        if (!takePermit()) {
          break; // a released permit signals us
        }
        // permit first, then the reservation: a reserved start is never late for want of a slot
        readyHoldsPermit = options.permits().isPresent();
        readyStartAt = now + Math.max(0, options.pacer().reserve(ready.tokens).toNanos());
        readyReserved = true;
      }
      if (now < readyStartAt) {
        wakeAt(readyStartAt);
        break;
      }
      rate.record(now, ready.tokens, options.requestsPerMinute(), options.tokensPerMinute());
      startRun();
    }
    if (stopReason == null
        && packer.sourceFailure() != null
        && packer.finished()
        && ready == null) {
      stopReason =
          "the source threw after " + packer.itemsRead() + " items: " + packer.sourceFailure();
      LOG.warn("job '{}': {}", options.name(), stopReason, packer.sourceFailure());
    }
    maybeComplete();
  }

  /**
   * @return true when the job needs no shared permit or took one; false when it waits for one
   */
  private boolean takePermit() {
    return options.permits().map(p -> p.tryAcquire(permitWake)).orElse(true);
  }

  /** The run gives back the shared permit it holds, if any. */
  private void givePermit(BatchRun<I> run) {
    if (run.holdsPermit) {
      run.holdsPermit = false;
      options.permits().ifPresent(CallPermits::release);
    }
  }

  /** The ready batch leaves without starting: its permit and reservation go with it. */
  private void discardReady() {
    if (readyHoldsPermit) {
      readyHoldsPermit = false;
      options.permits().ifPresent(CallPermits::release);
    }
    readyReserved = false;
    ready = null;
  }

  /** Running batches that hold a concurrency slot: all but those that released theirs. */
  private int slotsTaken() {
    return running.size() - released;
  }

  /**
   * A run takes a slot again (for its retry) or leaves (it finished): it drops a release it holds
   * or waits for, and a waiting release may take the freed place.
   */
  private void occupy(BatchRun<I> run) {
    releasesWaiting.remove(run);
    if (run.released) {
      run.released = false;
      released--;
      BatchRun<I> waiting = releasesWaiting.poll();
      if (waiting != null) {
        waiting.released = true;
        released++;
        givePermit(waiting);
      }
    }
  }

  /**
   * Any thread: the agent says the attempt's remote work is done (see {@link Batch#releaseSlot()}).
   */
  private void releaseSlot(Attempt<I> attempt) {
    if (attempt.settled.get() || !attempt.releaseRequested.compareAndSet(false, true)) {
      return;
    }
    post(
        () -> {
          BatchRun<I> run = attempt.run;
          if (run.current != attempt
              || run.abandoned
              || run.released
              || !running.contains(run)
              || releasesWaiting.contains(run)) {
            return;
          }
          if (released < limit.current()) {
            run.released = true;
            released++;
            givePermit(run); // the service is done with it: another job's call may go
          } else {
            releasesWaiting.add(
                run); // bounded: at most the limit's worth of released batches at once
          }
        });
  }

  private boolean takeNextBatch() {
    ready = packer.next(sizer.current());
    return ready != null;
  }

  private void stopForBudget() {
    List<PackedItem<I>> notSent = ready.toItems();
    packer.stop();
    notSent.addAll(packer.drainPending());
    stopReason =
        "token budget of "
            + options.tokenBudget()
            + " tokens reached: batch #"
            + batchSequence
            + " needs "
            + ready.tokens
            + " tokens and "
            + tokensStarted
            + " were already started; "
            + notSent.size()
            + " item(s) read but not sent are SKIPPED and the rest of the source was not read";
    LOG.info("job '{}': {}", options.name(), stopReason);
    discardReady();
    for (PackedItem<I> p : notSent) {
      finishItem(p, ItemStatus.SKIPPED, null, new CancellationException(stopReason), 0);
    }
  }

  /** Runs the loop again at {@code at}, unless an earlier wake-up is already due. */
  private void wakeAt(long at) {
    if (wake != null) {
      if (wakeAt <= at) {
        return;
      }
      wake.cancel();
    }
    TimeSource.Cancellable[] self = new TimeSource.Cancellable[1];
    wakeAt = at;
    self[0] =
        context
            .time()
            .schedule(
                at - context.time().nanoTime(),
                () ->
                    post(
                        () -> {
                          if (wake == self[0]) {
                            wake = null;
                          }
                        }));
    wake = self[0];
  }

  private void startRun() {
    BatchRun<I> run = new BatchRun<>(batchSequence++, ready, limit.epoch());
    run.holdsPermit = readyHoldsPermit;
    readyHoldsPermit = false;
    readyReserved = false;
    ready = null;
    running.add(run);
    inFlightItems += run.size();
    inFlightBytes += run.bytes;
    tokensStarted += run.tokens;
    meters.tokens(run.tokens);
    meters.inFlightDelta(1);
    startAttempt(run, 1);
  }

  private void startAttempt(BatchRun<I> run, int number) {
    if (number > 1) {
      releasesWaiting.remove(run); // the earlier attempt's release request ended with it
      run.batch = run.batch.nextAttempt();
      run.epoch = limit.epoch();
    }
    Attempt<I> attempt = new Attempt<>(run, number);
    run.batch = run.batch.withSlotRelease(() -> releaseSlot(attempt));
    run.current = attempt;
    meters.batchStarted();
    try {
      context.io().execute(() -> invoke(attempt));
    } catch (RejectedExecutionException e) {
      settle(
          attempt,
          null,
          new IllegalStateException(
              "the scheduler's agent pool refused " + run.describe() + "; is the scheduler closed?",
              e),
          false);
    }
  }

  /** Runs on the agent pool. */
  private void invoke(Attempt<I> attempt) {
    if (attempt.settled.get()) {
      return; // cancelled before it could start
    }
    BatchRun<I> run = attempt.run;
    attempt.startNanos = context.time().nanoTime();
    attempt.timeout =
        context
            .time()
            .schedule(
                timeoutNanos,
                () ->
                    settle(
                        attempt,
                        null,
                        new TimeoutException(
                            run.describe()
                                + " attempt "
                                + attempt.number
                                + " timed out after "
                                + options.batchTimeout()),
                        true));
    CompletionStage<List<O>> stage;
    attempt.enter();
    try {
      stage = agent.process(run.batch);
      if (stage == null) {
        throw new NullPointerException(
            "the agent returned null instead of a CompletionStage for " + run.describe());
      }
    } catch (Throwable t) {
      settle(attempt, null, t, false);
      return;
    } finally {
      attempt.exit();
    }
    attempt.stage = stage;
    if (attempt.settled.get()) {
      attempt.abort(); // timed out or cancelled while process() ran
      return;
    }
    stage.whenComplete((outputs, error) -> settle(attempt, outputs, error, false));
  }

  /** Any thread: the first of answer, timeout and cancellation wins. */
  private void settle(Attempt<I> attempt, List<O> outputs, Throwable error, boolean timedOut) {
    if (!attempt.settled.compareAndSet(false, true)) {
      return;
    }
    long end = context.time().nanoTime();
    attempt.timeout.cancel();
    if (timedOut) {
      attempt.abort();
    }
    post(() -> onSettled(attempt, outputs, error, timedOut, end));
  }

  private void onSettled(
      Attempt<I> attempt, List<O> outputs, Throwable error, boolean timedOut, long end) {
    BatchRun<I> run = attempt.run;
    if (run.abandoned) {
      return;
    }
    long latency = Math.max(0, end - (attempt.startNanos == 0 ? end : attempt.startNanos));
    Throwable failure =
        error != null
            ? io.batchwise.internal.concurrent.Failures.unwrap(error)
            : checkOutputs(run, outputs);
    if (failure == null) {
      meters.batchSucceeded(latency);
      limit.onSuccess();
      sizer.onSuccess(run.size(), latency);
      meters.concurrency(limit.current());
      finishRun(run, ItemStatus.SUCCEEDED, outputs, null, attempt.number);
      return;
    }
    boolean timeout = timedOut || failure instanceof TimeoutException;
    meters.batchFailed(latency, timeout);
    boolean rateLimited = failure instanceof CallFailedException c && c.isRateLimited();
    if ((timeout || rateLimited) && limit.onBackOff(run.epoch)) {
      meters.concurrency(limit.current());
      LOG.debug(
          "job '{}': concurrency lowered to {} after {}",
          options.name(),
          limit.current(),
          failure.toString());
    }
    if (retryable(failure)
        && attempt.number < options.retryPolicy().maxAttempts()
        && state.get() == RUNNING) {
      retries++;
      meters.retry();
      run.earlierFailures.add(failure);
      Duration hint = failure instanceof CallFailedException c ? c.retryAfter().orElse(null) : null;
      long wait = backoff.waitNanos(attempt.number, hint);
      int next = attempt.number + 1;
      LOG.debug(
          "job '{}': {} attempt {} failed ({}); retrying in {} ms",
          options.name(),
          run.describe(),
          attempt.number,
          failure,
          wait / 1_000_000);
      run.retryTimer = context.time().schedule(wait, () -> post(() -> retryDue(run, next)));
      return;
    }
    for (Throwable earlier : run.earlierFailures) {
      if (earlier != failure) {
        failure.addSuppressed(earlier);
      }
    }
    finishRun(run, ItemStatus.FAILED, null, failure, attempt.number);
  }

  private void retryDue(BatchRun<I> run, int number) {
    if (run.abandoned || state.get() != RUNNING) {
      return; // cancelled while waiting: cancelEverything accounts for it
    }
    if (run.released) {
      run.retryWaitingForSlot = number; // it gave its slot away: the retry waits for one (pump)
      retriesWaitingForSlot.add(run);
      return;
    }
    startAfterReservation(run, number);
  }

  /** A retry is a call of its own: it reserves its start with the pacer, then runs. */
  private void startAfterReservation(BatchRun<I> run, int number) {
    long delay = options.pacer().reserve(run.tokens).toNanos();
    if (delay <= 0) {
      startAttempt(run, number);
      return;
    }
    run.retryTimer =
        context
            .time()
            .schedule(
                delay,
                () ->
                    post(
                        () -> {
                          if (!run.abandoned && state.get() == RUNNING) {
                            startAttempt(run, number);
                          }
                        }));
  }

  private Throwable checkOutputs(BatchRun<I> run, List<O> outputs) {
    if (outputs == null) {
      return new IllegalStateException(
          "the agent completed " + run.describe() + " with null instead of a list");
    }
    if (outputs.size() != run.size()) {
      return new IllegalStateException(
          "the agent returned "
              + outputs.size()
              + " outputs for "
              + run.describe()
              + " of "
              + run.size()
              + " items; it must return one per item");
    }
    return null;
  }

  private static boolean retryable(Throwable failure) {
    if (failure instanceof CallFailedException c) {
      return c.isRetryable();
    }
    return failure instanceof TimeoutException;
  }

  private void finishRun(
      BatchRun<I> run, ItemStatus status, List<O> outputs, Throwable error, int attempts) {
    occupy(run);
    givePermit(run);
    retriesWaitingForSlot.remove(run);
    running.remove(run);
    inFlightItems -= run.size();
    inFlightBytes -= run.bytes;
    meters.inFlightDelta(-1);
    PackedBatch<I> items = run.items;
    count(status, items.size());
    meters.items(status, items.size());
    if (retained != null) {
      retained.batch(items, status, outputs, error, attempts);
    }
    if (publisher.hasSubscribers()) { // a later subscriber never sees earlier results
      for (int i = 0; i < items.size(); i++) {
        publisher.submit(
            new ItemResult<>(
                items.indexes[i],
                items.items.get(i),
                status,
                outputs == null ? null : outputs.get(i),
                error,
                attempts));
      }
    }
  }

  private void reject(PackedItem<I> item, Throwable error) {
    finishItem(item, ItemStatus.FAILED, null, error, 0);
  }

  /**
   * Records the result of an item that finishes alone (rejected, skipped, or cancelled before its
   * batch ran).
   */
  private void finishItem(
      PackedItem<I> p, ItemStatus status, O output, Throwable error, int attempts) {
    ItemResult<I, O> r = new ItemResult<>(p.index(), p.item(), status, output, error, attempts);
    count(status, 1);
    meters.item(status);
    if (retained != null) {
      retained.item(p.slot(), r);
    }
    publisher.submit(r);
  }

  private void count(ItemStatus status, int n) {
    switch (status) {
      case SUCCEEDED -> succeeded += n;
      case FAILED -> failed += n;
      case CANCELLED -> cancelled += n;
      case SKIPPED -> skipped += n;
      default -> throw new IllegalStateException("unknown status " + status);
    }
  }

  /**
   * Ends every unfinished item: {@code CANCELLED} with a {@link CancellationException}, or after
   * the job timeout {@code FAILED} with a {@link TimeoutException}; the agents' stages are
   * cancelled.
   */
  private void cancelEverything() {
    String reason = cancelReason != null ? cancelReason : "cancelled";
    stopReason = stopReason == null ? reason : stopReason + "; then " + reason;
    packer.stop();
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
    ItemStatus status = deadlinePassed ? ItemStatus.FAILED : ItemStatus.CANCELLED;
    Throwable cause =
        deadlinePassed
            ? new TimeoutException(reason + " before it finished")
            : new CancellationException(reason);
    for (BatchRun<I> run : new ArrayList<>(running)) {
      run.abandoned = true;
      run.retryTimer.cancel();
      Attempt<I> attempt = run.current;
      if (attempt != null && attempt.settled.compareAndSet(false, true)) {
        attempt.timeout.cancel();
        attempt.abort();
      }
      finishRun(run, status, null, cause, attempt == null ? 0 : attempt.number);
    }
    List<PackedItem<I>> notStarted = new ArrayList<>();
    if (ready != null) {
      notStarted.addAll(ready.toItems());
      discardReady();
    }
    notStarted.addAll(packer.drainPending());
    for (PackedItem<I> p : notStarted) {
      finishItem(p, status, null, cause, 0);
    }
  }

  private void maybeComplete() {
    if (state.get() == DONE || ready != null || !running.isEmpty()) {
      return;
    }
    if (state.get() == RUNNING && stopReason == null && !packer.finished()) {
      return;
    }
    if (!packer.finished()) {
      // stopped early with items read but never sent: account for each of them
      packer.stop();
      for (PackedItem<I> p : packer.drainPending()) {
        finishItem(p, ItemStatus.SKIPPED, null, new CancellationException(stopReason), 0);
      }
    }
    state.set(DONE);
    long end = context.time().nanoTime();
    deadline.cancel();
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
    meters.jobDone(end - startNanos, stopReason != null);
    publishCounts(end);
    JobResult<I, O> result =
        new JobResult<>(retained == null ? List.of() : retained, progress(), stopReason);
    publisher.close();
    try {
      onDone.run();
    } finally {
      completion.complete(result);
    }
  }

  private void publishCounts() {
    publishCounts(counts.endNanos());
  }

  private void publishCounts(long endNanos) {
    long queued = packer.pendingCount() + (ready == null ? 0 : ready.size());
    counts =
        new Counts(
            queued,
            inFlightItems,
            succeeded,
            failed,
            cancelled,
            skipped,
            tokensStarted,
            retries,
            packer.sourceExhausted(),
            endNanos);
  }

  /** Passes results on and, when the job waits for subscribers to catch up, wakes it as they do. */
  private final class Relay implements Flow.Subscriber<ItemResult<I, O>> {
    private final Flow.Subscriber<? super ItemResult<I, O>> downstream;

    Relay(Flow.Subscriber<? super ItemResult<I, O>> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      downstream.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              subscription.request(n);
            }

            @Override
            public void cancel() {
              subscription.cancel();
              if (publishGated) {
                signal();
              }
            }
          });
    }

    @Override
    public void onNext(ItemResult<I, O> item) {
      downstream.onNext(item);
      if (publishGated) {
        signal();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      downstream.onError(throwable);
    }

    @Override
    public void onComplete() {
      downstream.onComplete();
    }
  }
}

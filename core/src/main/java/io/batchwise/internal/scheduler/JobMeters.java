package io.batchwise.internal.scheduler;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.ItemStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The meters one job records to, tagged with the job's name; looked up once per job. */
final class JobMeters {
  private final Map<ItemStatus, Counter> items = new EnumMap<>(ItemStatus.class);
  private final Counter batches;
  private final Counter retries;
  private final Counter timeouts;
  private final Counter tokens;
  private final Timer batchSuccess;
  private final Timer batchFailure;
  private final Timer batchTimeout;
  private final Timer jobCompleted;
  private final Timer jobStopped;
  private final AtomicLong inFlight;
  private final AtomicLong concurrency;

  JobMeters(MeterRegistry registry, String job, AtomicLong inFlight, AtomicLong concurrency) {
    Tags tags = Tags.of(MeterNames.TAG_JOB, job);
    registry.counter(MeterNames.JOB_SUBMITTED, tags).increment();
    for (ItemStatus s : ItemStatus.values()) {
      items.put(
          s,
          registry.counter(
              MeterNames.JOB_ITEMS,
              tags.and(MeterNames.TAG_OUTCOME, s.name().toLowerCase(Locale.ROOT))));
    }
    batches = registry.counter(MeterNames.JOB_BATCHES, tags);
    retries = registry.counter(MeterNames.JOB_RETRIES, tags);
    timeouts = registry.counter(MeterNames.JOB_TIMEOUTS, tags);
    tokens = registry.counter(MeterNames.JOB_TOKENS, tags);
    batchSuccess = timer(registry, MeterNames.JOB_BATCH_LATENCY, tags, "success");
    batchFailure = timer(registry, MeterNames.JOB_BATCH_LATENCY, tags, "failure");
    batchTimeout = timer(registry, MeterNames.JOB_BATCH_LATENCY, tags, "timeout");
    jobCompleted = timer(registry, MeterNames.JOB_DURATION, tags, "completed");
    jobStopped = timer(registry, MeterNames.JOB_DURATION, tags, "stopped");
    this.inFlight = inFlight;
    this.concurrency = concurrency;
  }

  private static Timer timer(MeterRegistry registry, String name, Tags tags, String outcome) {
    return Timer.builder(name).tags(tags.and(MeterNames.TAG_OUTCOME, outcome)).register(registry);
  }

  void item(ItemStatus status) {
    items.get(status).increment();
  }

  void items(ItemStatus status, int n) {
    items.get(status).increment(n);
  }

  void batchStarted() {
    batches.increment();
  }

  void retry() {
    retries.increment();
  }

  void tokens(long n) {
    if (n > 0) {
      tokens.increment(n);
    }
  }

  void batchSucceeded(long nanos) {
    batchSuccess.record(nanos, TimeUnit.NANOSECONDS);
  }

  void batchFailed(long nanos, boolean timedOut) {
    if (timedOut) {
      timeouts.increment();
      batchTimeout.record(nanos, TimeUnit.NANOSECONDS);
    } else {
      batchFailure.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void jobDone(long nanos, boolean stoppedEarly) {
    (stoppedEarly ? jobStopped : jobCompleted).record(nanos, TimeUnit.NANOSECONDS);
  }

  void inFlightDelta(long batches) {
    inFlight.addAndGet(batches);
  }

  void concurrency(int limit) {
    concurrency.set(limit);
  }
}

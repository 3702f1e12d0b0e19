package io.batchwise.internal.scheduler;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.CloseMode;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.Scheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process scheduler ({@code local}): each job runs as a {@link LocalJob} on executors this
 * scheduler owns (see {@link SchedulerResources}), and records to one {@link MeterRegistry}.
 * Thread-safe.
 */
final class LocalScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);

  /** How long close() waits for cancelled jobs to settle and for threads to end. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final MeterRegistry registry;
  private final SchedulerResources resources;
  private final CloseMode closeMode;
  private final Duration closeTimeout;
  private final DoubleSupplier random;
  private final Set<LocalJob<?, ?>> jobs = new LinkedHashSet<>();
  private final Map<String, AtomicLong> inFlightGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> concurrencyGauges = new ConcurrentHashMap<>();
  private long jobCount;
  private boolean closed;

  LocalScheduler(
      MeterRegistry registry,
      SchedulerResources resources,
      CloseMode closeMode,
      Duration closeTimeout,
      DoubleSupplier random) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.resources = Objects.requireNonNull(resources, "resources");
    this.closeMode = Objects.requireNonNull(closeMode, "closeMode");
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Job<I, O> submit(
      Iterator<? extends I> items, Agent<? super I, O> agent, JobOptions<? super I> options) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(options, "options");
    // the agent and options accept any I; a splitter's pieces are assumed to be I as well
    Agent<I, O> typedAgent = (Agent<I, O>) agent;
    JobOptions<I> typedOptions = (JobOptions<I>) options;
    LocalJob<I, O> job;
    synchronized (jobs) {
      if (closed) {
        throw new IllegalStateException(
            "the scheduler is closed; submit jobs before calling close()");
      }
      JobContext context =
          new JobContext(
              ++jobCount,
              resources.cpu,
              resources.io,
              resources.delivery,
              resources.time,
              random,
              registry,
              gauge(inFlightGauges, MeterNames.JOB_IN_FLIGHT, options.name()),
              gauge(concurrencyGauges, MeterNames.JOB_CONCURRENCY, options.name()));
      LocalJob<I, O>[] self = new LocalJob[1];
      job =
          new LocalJob<>(
              context,
              items,
              typedAgent,
              typedOptions,
              () -> {
                synchronized (jobs) {
                  jobs.remove(self[0]);
                }
              });
      self[0] = job;
      jobs.add(job);
    }
    job.start();
    return job;
  }

  private AtomicLong gauge(Map<String, AtomicLong> gauges, String name, String job) {
    return gauges.computeIfAbsent(
        job,
        j -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .tag(MeterNames.TAG_JOB, j)
              .strongReference(true)
              .register(registry);
          return value;
        });
  }

  @Override
  public void close() {
    List<LocalJob<?, ?>> running;
    synchronized (jobs) {
      if (closed) {
        return;
      }
      closed = true;
      running = new ArrayList<>(jobs);
    }
    boolean mayWait = !resources.onOwnThread();
    if (!mayWait && !running.isEmpty()) {
      LOG.warn(
          "close() called from a scheduler thread; cancelling {} running job(s) instead of waiting",
          running.size());
    }
    if (closeMode == CloseMode.FINISH && mayWait && !running.isEmpty()) {
      if (!await(running, closeTimeout)) {
        String reason =
            "the scheduler was closed and its close timeout of " + closeTimeout + " elapsed";
        running.forEach(j -> j.cancel(reason));
      }
    } else {
      running.forEach(
          j ->
              j.cancel(
                  "the scheduler was closed (close mode " + closeMode.name().toLowerCase() + ")"));
    }
    if (!mayWait) {
      resources.shutdownWithoutWaiting(); // waiting for our own thread to end would only stall
      return;
    }
    if (!await(running, SHUTDOWN_GRACE)) {
      LOG.warn("some jobs did not settle within {} after being cancelled", SHUTDOWN_GRACE);
    }
    if (!resources.shutdown(SHUTDOWN_GRACE)) {
      LOG.warn("some scheduler threads did not end within {}", SHUTDOWN_GRACE);
    }
  }

  private static boolean await(List<LocalJob<?, ?>> running, Duration timeout) {
    CompletableFuture<?>[] all =
        running.stream().map(LocalJob::completion).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException | CancellationException e) {
      return running.stream().allMatch(LocalJob::isDone);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    synchronized (jobs) {
      return "LocalScheduler{jobs="
          + jobs.size()
          + ", closeMode="
          + closeMode
          + ", closed="
          + closed
          + "}";
    }
  }
}

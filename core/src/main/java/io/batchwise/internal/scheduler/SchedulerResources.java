package io.batchwise.internal.scheduler;

import io.batchwise.internal.concurrent.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executors and timer a {@link LocalScheduler} runs on, and which of them it owns and must stop
 * when it closes.
 *
 * <ul>
 *   <li>{@code cpu}: each job's drain loop (reading the source, counting tokens, packing); sized to
 *       the cores, or the shared pool of the {@code Batchwise} instance.
 *   <li>{@code io}: agent invocations; {@code cores × agentsPerCore} threads, which bounds agents
 *       that block in {@code process}; agents that return a pending stage are bounded only by each
 *       job's concurrency.
 *   <li>{@code delivery}: results to subscribers, so a slow subscriber never holds an agent thread.
 *   <li>{@code time}: one timer thread for timeouts, backoff and rate-limit waits.
 * </ul>
 */
final class SchedulerResources {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerResources.class);

  /** Idle pool threads end after this long, so a quiet scheduler holds few threads. */
  private static final long KEEP_ALIVE_SECONDS = 30;

  final Executor cpu;
  final Executor io;
  final Executor delivery;
  final TimeSource time;
  private final List<ExecutorService> owned;
  private final List<NamedThreadFactory> factories;

  private SchedulerResources(
      Executor cpu,
      Executor io,
      Executor delivery,
      TimeSource time,
      List<ExecutorService> owned,
      List<NamedThreadFactory> factories) {
    this.cpu = cpu;
    this.io = io;
    this.delivery = delivery;
    this.time = time;
    this.owned = owned;
    this.factories = factories;
  }

  /**
   * Pools and a timer the scheduler owns.
   *
   * @param name the thread name prefix, e.g. {@code batchwise-scheduler-1}
   * @param agentThreads threads that invoke agents
   * @param cpuThreads threads of the scheduler's own CPU pool, or 0 to use {@code sharedCpu}
   * @param sharedCpu the shared CPU pool, or null to always own one
   * @return the resources
   */
  static SchedulerResources owned(
      String name, int agentThreads, int cpuThreads, Executor sharedCpu) {
    List<ExecutorService> owned = new ArrayList<>();
    List<NamedThreadFactory> factories = new ArrayList<>();
    NamedThreadFactory timerThreads = new NamedThreadFactory(name + "-timer");
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, timerThreads);
    owned.add(timer);
    factories.add(timerThreads);
    ExecutorService io = fixed(name + "-agent", agentThreads, owned, factories);
    Executor cpu;
    if (cpuThreads > 0 || sharedCpu == null) {
      int n = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
      cpu = fixed(name + "-cpu", n, owned, factories);
    } else {
      cpu = sharedCpu;
    }
    NamedThreadFactory deliveryThreads = new NamedThreadFactory(name + "-results");
    ThreadPoolExecutor delivery =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            deliveryThreads);
    owned.add(delivery);
    factories.add(deliveryThreads);
    return new SchedulerResources(cpu, io, delivery, new SystemTimeSource(timer), owned, factories);
  }

  /**
   * Executors and a time source the caller owns (tests).
   *
   * @param cpu drain loops
   * @param io agent invocations
   * @param delivery result delivery
   * @param time the clock and timer
   * @return the resources; closing them stops nothing
   */
  static SchedulerResources borrowed(
      Executor cpu, Executor io, Executor delivery, TimeSource time) {
    return new SchedulerResources(cpu, io, delivery, time, List.of(), List.of());
  }

  private static ExecutorService fixed(
      String name, int threads, List<ExecutorService> owned, List<NamedThreadFactory> factories) {
    NamedThreadFactory f = new NamedThreadFactory(name);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
    pool.allowCoreThreadTimeOut(true);
    owned.add(pool);
    factories.add(f);
    return pool;
  }

  /**
   * Whether the current thread belongs to one of the owned pools.
   *
   * @return true when called from the scheduler's own threads
   */
  boolean onOwnThread() {
    Thread t = Thread.currentThread();
    return factories.stream().anyMatch(f -> f.owns(t));
  }

  /** Stops the owned pools without waiting: their threads end once their current work is done. */
  void shutdownWithoutWaiting() {
    owned.forEach(ExecutorService::shutdown);
  }

  /**
   * Stops the owned pools and waits for their threads to end.
   *
   * @param timeout how long to wait before interrupting what is still running
   * @return true when every owned thread has ended
   */
  boolean shutdown(Duration timeout) {
    owned.forEach(ExecutorService::shutdown);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    boolean clean = true;
    try {
      for (ExecutorService e : owned) {
        if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          LOG.warn("scheduler threads still busy after {}; interrupting them", timeout);
          e.shutdownNow();
          clean = false;
        }
      }
      long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (NamedThreadFactory f : factories) {
        clean &= f.joinAll(joinDeadline);
      }
    } catch (InterruptedException e) {
      owned.forEach(ExecutorService::shutdownNow);
      interrupted = true;
      clean = false;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return clean;
  }
}

package io.batchwise.internal.scheduler;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.scheduler.CloseMode;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.FactoryContext;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the in-process scheduler, id {@value #ID}: jobs run on an agent pool of {@code cores ×
 * scheduler.agents-per-core} threads the scheduler owns, with packing, token counting and
 * bookkeeping on a CPU pool sized to the cores, retries, timeouts, budgets, rate limits and
 * backpressure as each job's {@link JobOptions} say. Registered in {@code
 * META-INF/services/io.batchwise.scheduler.SchedulerFactory}.
 *
 * <p>A job's completion future is completed on the scheduler's CPU thread, so dependent actions
 * ({@code thenApply} and the like) should be quick or use an {@code *Async} variant; results are
 * delivered to {@code Job.results()} subscribers on a separate delivery thread.
 *
 * <pre>{@code
 * Scheduler scheduler = new LocalSchedulerFactory().create(context);
 * }</pre>
 */
public final class LocalSchedulerFactory implements SchedulerFactory {
  /** This factory's id. */
  public static final String ID = "local";

  /** Agent threads per core; also the scheduler's idea of "cores × agentsPerCore" concurrency. */
  public static final ConfigOption<Integer> AGENTS_PER_CORE =
      ConfigOption.integer(
              "scheduler.agents-per-core",
              1,
              256,
              "Agent threads per CPU core for I/O-bound work (the agent pool has cores x this many threads), 1 to 256.")
          .withDefault(JobOptions.DEFAULT_AGENTS_PER_CORE);

  /** Threads of the scheduler's own CPU pool; 0 uses the shared CPU pool. */
  public static final ConfigOption<Integer> CPU_THREADS =
      ConfigOption.integer(
              "scheduler.cpu-threads",
              0,
              1024,
              "Threads for CPU-bound scheduling work (token counting, packing); 0 uses the shared pool sized to the cores.")
          .withDefault(0);

  /**
   * What close() does with running jobs, and {@code Batchwise.close()} with its embeds in flight.
   */
  public static final ConfigOption<CloseMode> CLOSE_MODE =
      ConfigOption.choice(
              "scheduler.close-mode",
              CloseMode.class,
              "What closing the scheduler (or a Batchwise instance) does with running jobs (or its embeds): finish (let them end, up to the close timeout) or cancel.")
          .withDefault(CloseMode.FINISH);

  /**
   * How long close() lets running jobs finish, and {@code Batchwise.close()} its embeds, before
   * cancelling them.
   */
  public static final ConfigOption<Duration> CLOSE_TIMEOUT =
      ConfigOption.duration(
              "scheduler.close-timeout",
              Duration.ZERO,
              "How long closing the scheduler (or a Batchwise instance) waits for running jobs (or its embeds) in close mode finish before cancelling them.")
          .withDefault(Duration.ofSeconds(30));

  private static final AtomicLong INSTANCES = new AtomicLong();

  /** Creates the factory; {@link ServiceLoader} calls this. */
  public LocalSchedulerFactory() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<ConfigOption<?>> options() {
    return List.of(AGENTS_PER_CORE, CPU_THREADS, CLOSE_MODE, CLOSE_TIMEOUT);
  }

  /**
   * Creates a scheduler that owns its agent pool and timer, uses the context's CPU pool unless
   * {@code scheduler.cpu-threads} is set, and records to the context's meter registry.
   *
   * @param context configuration and shared services
   * @return the scheduler; closing it stops every thread it started
   * @throws io.batchwise.config.ConfigurationException when an option is out of range
   */
  @Override
  public Scheduler create(FactoryContext context) {
    Config config = context.config();
    int agentsPerCore = config.get(AGENTS_PER_CORE);
    int cpuThreads = config.get(CPU_THREADS);
    CloseMode closeMode = config.get(CLOSE_MODE);
    Duration closeTimeout = config.get(CLOSE_TIMEOUT);
    int cores = Runtime.getRuntime().availableProcessors();
    SchedulerResources resources =
        SchedulerResources.owned(
            "batchwise-scheduler-" + INSTANCES.incrementAndGet(),
            cores * agentsPerCore,
            cpuThreads,
            context.cpuExecutor());
    return new LocalScheduler(
        context.meterRegistry(),
        resources,
        closeMode,
        closeTimeout,
        () -> ThreadLocalRandom.current().nextDouble());
  }
}

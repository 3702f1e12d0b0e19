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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the in-process scheduler, id {@value #ID}: jobs run on an agent pool of
 * {@code cores × scheduler.agents-per-core} threads the scheduler owns, with packing, token counting
 * and bookkeeping on a CPU pool sized to the cores, retries, timeouts, budgets, rate limits and
 * backpressure as each job's {@link JobOptions} say. Registered in
 * {@code META-INF/services/io.batchwise.scheduler.SchedulerFactory}.
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
  public static final ConfigOption AGENTS_PER_CORE = ConfigOption.of("scheduler.agents-per-core",
      String.valueOf(JobOptions.DEFAULT_AGENTS_PER_CORE),
      "Agent threads per CPU core for I/O-bound work (the agent pool has cores x this many threads), 1 to 256.");
  /** Threads of the scheduler's own CPU pool; 0 uses the shared CPU pool. */
  public static final ConfigOption CPU_THREADS = ConfigOption.of("scheduler.cpu-threads", "0",
      "Threads for CPU-bound scheduling work (token counting, packing); 0 uses the shared pool sized to the cores.");
  /** What close() does with running jobs, and {@code Batchwise.close()} with its embeds in flight. */
  public static final ConfigOption CLOSE_MODE = ConfigOption.of("scheduler.close-mode", "finish",
      "What closing the scheduler (or a Batchwise instance) does with running jobs (or its embeds): finish (let them end, up to the close timeout) or cancel.");
  /** How long close() lets running jobs finish, and {@code Batchwise.close()} its embeds, before cancelling them. */
  public static final ConfigOption CLOSE_TIMEOUT = ConfigOption.of("scheduler.close-timeout", "30s",
      "How long closing the scheduler (or a Batchwise instance) waits for running jobs (or its embeds) in close mode finish before cancelling them.");
  /** {@link #CLOSE_MODE}'s default, for a configuration that does not know the option. */
  private static final CloseMode DEFAULT_CLOSE_MODE = CloseMode.FINISH;
  /** {@link #CLOSE_TIMEOUT}'s default, for a configuration that does not know the option. */
  private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicLong INSTANCES = new AtomicLong();

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public LocalSchedulerFactory() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<ConfigOption> options() {
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
    int agentsPerCore = intOption(config, AGENTS_PER_CORE, 1, 256);
    int cpuThreads = intOption(config, CPU_THREADS, 0, 1024);
    CloseMode closeMode = closeMode(config);
    Duration closeTimeout = closeTimeout(config);
    int cores = Runtime.getRuntime().availableProcessors();
    SchedulerResources resources = SchedulerResources.owned(
        "batchwise-scheduler-" + INSTANCES.incrementAndGet(), cores * agentsPerCore, cpuThreads,
        context.cpuExecutor());
    return new LocalScheduler(context.meterRegistry(), resources, closeMode, closeTimeout,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The configured {@link #CLOSE_MODE}, which a Batchwise instance also applies to its own embeds in
   * flight when it closes.
   *
   * @param config the configuration
   * @return the close mode
   * @throws io.batchwise.config.ConfigurationException when the value is neither mode
   */
  public static CloseMode closeMode(Config config) {
    return known(config, CLOSE_MODE)
        ? config.getEnum(CLOSE_MODE.key(), CloseMode.class, DEFAULT_CLOSE_MODE)
        : DEFAULT_CLOSE_MODE;
  }

  /**
   * The configured {@link #CLOSE_TIMEOUT}, which a Batchwise instance also applies to its own embeds
   * in flight when it closes.
   *
   * @param config the configuration
   * @return the close timeout
   * @throws io.batchwise.config.ConfigurationException when the value is not a duration
   */
  public static Duration closeTimeout(Config config) {
    return known(config, CLOSE_TIMEOUT)
        ? config.getDuration(CLOSE_TIMEOUT.key(), DEFAULT_CLOSE_TIMEOUT)
        : DEFAULT_CLOSE_TIMEOUT;
  }

  private static boolean known(Config config, ConfigOption option) {
    return config.options().containsKey(option.key());
  }

  private static int intOption(Config config, ConfigOption option, int min, int max) {
    int fallback = Integer.parseInt(option.defaultValue());
    return known(config, option) ? config.getInt(option.key(), fallback, min, max) : fallback;
  }
}

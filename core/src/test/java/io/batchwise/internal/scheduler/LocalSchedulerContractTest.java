package io.batchwise.internal.scheduler;

import io.batchwise.config.Config;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.FactoryContext;
import io.batchwise.testkit.SchedulerContract;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** The local scheduler, made by its factory with real threads, honours the scheduler contract. */
class LocalSchedulerContractTest extends SchedulerContract {
  @Override
  protected Scheduler createScheduler() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new LocalSchedulerFactory()
        .create(
            FactoryContext.of(
                Config.of(Map.of(), Map.of()),
                registry,
                new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
                null));
  }
}

package io.batchwise.scheduler;

import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates a {@link Scheduler}; found by {@link ServiceLoader} through {@code
 * META-INF/services/io.batchwise.scheduler.SchedulerFactory} and chosen by {@link #id()} with the
 * {@code scheduler} option. Core registers {@code local}, the in-process scheduler.
 *
 * <p>Implementations must be public with a public no-argument constructor.
 */
public interface SchedulerFactory {

  /**
   * A stable lowercase id, e.g. {@code local}.
   *
   * @return the id
   */
  String id();

  /**
   * The options this scheduler reads.
   *
   * @return the options, possibly empty
   */
  default List<ConfigOption<?>> options() {
    return List.of();
  }

  /**
   * Creates the scheduler; it records to {@link FactoryContext#meterRegistry()}.
   *
   * @param context configuration and shared services
   * @return the scheduler, closed by the {@code Batchwise} instance
   */
  Scheduler create(FactoryContext context);
}

package io.batchwise.spi;

import io.batchwise.config.ConfigOption;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates the {@link CallPacer} that holds a {@code Batchwise} instance's per-minute limits for its
 * provider; found by {@link ServiceLoader} through {@code
 * META-INF/services/io.batchwise.spi.CallPacerFactory} and chosen by {@link #id()} with the {@code
 * pacer} option. Core registers {@code local}: the limits held in this process, for every embed,
 * stream and job of the instance. {@code batchwise-cache-redis} adds {@code redis}: one budget
 * shared by every process that uses the same Redis server and budget name.
 *
 * <p>A pacer that holds resources (a connection) implements {@link AutoCloseable}; the instance
 * closes it with the provider. Implementations must be public with a public no-argument
 * constructor.
 *
 * <pre>{@code
 * Batchwise bw = Batchwise.builder().provider("openai").option("pacer", "redis")
 *     .option("requests-per-minute", "3000").build();
 * }</pre>
 */
public interface CallPacerFactory {

  /**
   * A stable lowercase id, e.g. {@code local}, {@code redis}.
   *
   * @return the id
   */
  String id();

  /**
   * The options this pacer reads.
   *
   * @return the options, possibly empty
   */
  default List<ConfigOption<?>> options() {
    return List.of();
  }

  /**
   * Creates the pacer of one provider.
   *
   * @param context configuration and shared services
   * @param budget the provider's configured limits and what its service reports
   * @return the pacer; closed by the instance when it is {@link AutoCloseable}
   */
  CallPacer create(FactoryContext context, CallBudget budget);
}

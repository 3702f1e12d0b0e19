package io.batchwise.cache.spi;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a store's options from a {@link Config} that may not declare them: a {@link
 * io.batchwise.cache.ByteStoreFactory} is also opened with only its own options known ({@link
 * io.batchwise.cache.ByteStores#open}), and then an option it shares with other stores reads as unset
 * rather than failing as unknown.
 */
public final class StoreOptions {
  private StoreOptions() {}

  /**
   * Whether the configuration declares the option.
   *
   * @param config the configuration
   * @param option the option
   * @return whether {@code config} knows its key
   */
  public static boolean declared(Config config, ConfigOption option) {
    return config.options().containsKey(option.key());
  }

  /**
   * The option's value.
   *
   * @param config the configuration
   * @param option the option
   * @return the value set or defaulted; empty when unset or not declared
   */
  public static Optional<String> get(Config config, ConfigOption option) {
    return declared(config, option) ? config.get(option.key()) : Optional.empty();
  }

  /**
   * The option as a boolean.
   *
   * @param config the configuration
   * @param option the option
   * @return its value; false when unset or not declared
   * @throws ConfigurationException naming the option when the value is not true or false
   */
  public static boolean flag(Config config, ConfigOption option) {
    return declared(config, option) && config.getBoolean(option.key(), false);
  }

  /**
   * The option as a duration (ISO-8601, or a number with a unit such as {@code 250ms} or {@code 30s}).
   *
   * @param config the configuration
   * @param option the option
   * @return the duration, or null when unset or not declared
   * @throws ConfigurationException naming the option when the value is not a duration
   */
  public static Duration duration(Config config, ConfigOption option) {
    return get(config, option).isPresent() ? config.getDuration(option.key(), null) : null;
  }

  /**
   * The option as a duration that must be longer than zero.
   *
   * @param config the configuration
   * @param option the option
   * @return the duration, or null when unset or not declared
   * @throws ConfigurationException naming the option when the value is not a duration or is zero
   */
  public static Duration positiveDuration(Config config, ConfigOption option) {
    Duration d = duration(config, option);
    if (d != null && d.isZero()) {
      throw new ConfigurationException("option '" + option.key() + "' must be positive, was 0");
    }
    return d;
  }
}

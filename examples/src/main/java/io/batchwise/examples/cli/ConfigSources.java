package io.batchwise.examples.cli;

import io.batchwise.config.ConfigOption;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the options that the command line does not set come from: the system properties ({@code
 * -Dbatchwise.<key>}) and the environment ({@code BATCHWISE_<KEY>}, {@code OPENAI_API_KEY}, ...).
 * The command passes them to {@link io.batchwise.Batchwise.Builder#sources}, so that tests can give
 * a run its own environment without touching the process's.
 *
 * @param systemProperties the system properties
 * @param environment the environment variables
 */
record ConfigSources(Properties systemProperties, Map<String, String> environment) {

  /** Checks and copies. */
  ConfigSources {
    Objects.requireNonNull(systemProperties, "systemProperties");
    environment = Map.copyOf(environment);
  }

  /**
   * The process's own system properties and environment.
   *
   * @return the sources
   */
  static ConfigSources system() {
    return new ConfigSources(System.getProperties(), System.getenv());
  }

  /**
   * Whether these sources set an option (to any value, the empty one included, as {@link
   * io.batchwise.config.Config} reads them).
   *
   * @param option the option
   * @return true when its system property, its environment variable or one of its aliases is set
   */
  boolean sets(ConfigOption<?> option) {
    return systemProperties.getProperty(option.systemProperty()) != null
        || environment.get(option.environmentVariable()) != null
        || option.envAliases().stream().anyMatch(a -> environment.get(a) != null);
  }

  /**
   * The value these sources give an option, in {@link io.batchwise.config.Config}'s order.
   *
   * @param option the option
   * @return the value, or null when unset here
   */
  String valueOf(ConfigOption<?> option) {
    String value = systemProperties.getProperty(option.systemProperty());
    if (value == null) {
      value = environment.get(option.environmentVariable());
    }
    for (int i = 0; value == null && i < option.envAliases().size(); i++) {
      value = environment.get(option.envAliases().get(i));
    }
    return value;
  }
}

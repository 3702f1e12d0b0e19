package io.batchwise.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration option: its key, default, meaning, and where else its value may come from.
 *
 * <p>Every option may be set on the builder ({@code Batchwise.builder().option(key, value)}), as the
 * system property {@code batchwise.<key>}, or as the environment variable {@code BATCHWISE_<KEY>}
 * (upper case, {@code .} and {@code -} as {@code _}); the first found wins. {@link #envAliases()} adds
 * conventional variables such as {@code OPENAI_API_KEY}, consulted after {@code BATCHWISE_<KEY>}.
 *
 * @param key the option's key, lowercase words joined by {@code -}, namespaced with {@code .} for
 *     provider options, e.g. {@code openai.base-url}
 * @param defaultValue the value used when none is set, or {@code null} when the option has none
 * @param description one sentence for the configuration reference and {@code batchwise providers}
 * @param envAliases extra environment variables to read, in order
 * @param secret whether the value must never be printed (API keys, passwords)
 */
public record ConfigOption(
    String key, String defaultValue, String description, List<String> envAliases, boolean secret) {

  /** Validates and copies. */
  public ConfigOption {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    if (!key.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
      throw new IllegalArgumentException(
          "option key '" + key + "' must be lowercase words joined by '-' or '.'");
    }
    envAliases = List.copyOf(envAliases);
  }

  /**
   * An ordinary option with no environment aliases.
   *
   * @param key the key
   * @param defaultValue the default, or null
   * @param description what it does
   * @return the option
   */
  public static ConfigOption of(String key, String defaultValue, String description) {
    return new ConfigOption(key, defaultValue, description, List.of(), false);
  }

  /**
   * A secret option (never printed), optionally read from conventional environment variables.
   *
   * @param key the key
   * @param description what it does
   * @param envAliases extra environment variables, e.g. {@code OPENAI_API_KEY}
   * @return the option
   */
  public static ConfigOption secret(String key, String description, String... envAliases) {
    return new ConfigOption(key, null, description, List.of(envAliases), true);
  }

  /**
   * The system property that sets this option.
   *
   * @return {@code batchwise.<key>}
   */
  public String systemProperty() {
    return "batchwise." + key;
  }

  /**
   * The environment variable that sets this option.
   *
   * @return {@code BATCHWISE_<KEY>}
   */
  public String environmentVariable() {
    return "BATCHWISE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}

package io.batchwise.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Resolved configuration: for each key, the builder's value, else the system property {@code
 * batchwise.<key>}, else the environment variable {@code BATCHWISE_<KEY>}, else the option's
 * environment aliases, else its default.
 *
 * <p>{@link #get(ConfigOption)} reads an option as its declaration says and throws {@link
 * ConfigurationException} naming the option, the value and what is allowed. Immutable and
 * thread-safe. {@link #toString()} never prints secrets.
 */
public final class Config {
  private final Map<String, String> explicit;
  private final Map<String, ConfigOption<?>> known;
  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;

  private Config(
      Map<String, String> explicit,
      Map<String, ? extends ConfigOption<?>> known,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    this.known = Collections.unmodifiableMap(new TreeMap<>(known));
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  /**
   * Configuration that reads the real system properties and environment.
   *
   * @param explicit values set in code, by key
   * @param known every option that may be set, by key
   * @return the configuration
   */
  public static Config of(
      Map<String, String> explicit, Map<String, ? extends ConfigOption<?>> known) {
    return new Config(explicit, known, System::getProperty, System::getenv);
  }

  /**
   * Configuration with substitutes for the system properties and environment, for tests.
   *
   * @param explicit values set in code
   * @param known every option that may be set
   * @param systemProperties looks up a system property by name
   * @param environment looks up an environment variable by name
   * @return the configuration
   */
  public static Config of(
      Map<String, String> explicit,
      Map<String, ? extends ConfigOption<?>> known,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    return new Config(explicit, known, systemProperties, environment);
  }

  /**
   * Every option this configuration knows, by key.
   *
   * @return an unmodifiable, sorted map
   */
  public Map<String, ConfigOption<?>> options() {
    return known;
  }

  /**
   * The value of an option: from the first source that sets it, read and range-checked by the
   * option, else its default.
   *
   * @param option the option
   * @param <T> the value type
   * @return the value
   * @throws ConfigurationException when the value is malformed or out of range (naming the option,
   *     the value unless secret, and what is allowed), or when no source sets an option that has no
   *     default
   */
  public <T> T get(ConfigOption<T> option) {
    return find(option)
        .orElseThrow(
            () ->
                new ConfigurationException(
                    "option '"
                        + option.key()
                        + "' is required: set it on the builder, as -D"
                        + option.systemProperty()
                        + ", or as the environment variable "
                        + option.environmentVariable()
                        + (option.envAliases().isEmpty()
                            ? ""
                            : " or " + String.join(" or ", option.envAliases()))));
  }

  /**
   * The value of an option that may be unset: as {@link #get}, but empty when no source sets it and
   * it has no default, or when a source sets it to blank.
   *
   * @param option the option
   * @param <T> the value type
   * @return the value, or empty
   * @throws ConfigurationException when the value is malformed or out of range
   */
  public <T> Optional<T> find(ConfigOption<T> option) {
    String text = text(option);
    if (text == null) {
      return option.defaultValue();
    }
    // set to blank: deliberately empty, which overrides the default (e.g. no key prefix)
    return text.isBlank() ? Optional.empty() : Optional.of(option.parse(text));
  }

  /**
   * Whether some source sets the option to a value that is not blank (its default does not count).
   *
   * @param option the option
   * @return true when the builder, a system property or the environment sets it
   */
  public boolean isSet(ConfigOption<?> option) {
    String text = text(option);
    return text != null && !text.isBlank();
  }

  /**
   * Checks that an option is known to this configuration.
   *
   * @param key an option key
   * @throws ConfigurationException naming the key and the closest known ones
   */
  public void requireKnown(String key) {
    if (!known.containsKey(key)) {
      throw ConfigurationException.unknownOption(key, known.keySet(), null);
    }
  }

  /** The configured text of an option from the first source that sets it, or null. */
  private String text(ConfigOption<?> option) {
    String value = explicit.get(option.key());
    if (value == null) {
      value = systemProperties.apply(option.systemProperty());
    }
    if (value == null) {
      value = environment.apply(option.environmentVariable());
    }
    for (int i = 0; value == null && i < option.envAliases().size(); i++) {
      value = environment.apply(option.envAliases().get(i));
    }
    return value;
  }

  private String shown(String key, String value) {
    ConfigOption<?> o = known.get(key);
    return o != null && o.secret() ? "****" : value;
  }

  /** Lists the explicitly set keys with their values, secrets masked. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Config{");
    explicit.forEach(
        (k, v) -> b.append(b.length() > 7 ? ", " : "").append(k).append('=').append(shown(k, v)));
    return b.append('}').toString();
  }
}

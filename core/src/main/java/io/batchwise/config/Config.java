package io.batchwise.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Resolved configuration: for each key, the builder's value, else the system property
 * {@code batchwise.<key>}, else the environment variable {@code BATCHWISE_<KEY>}, else the option's
 * environment aliases, else its default.
 *
 * <p>Typed getters check the value and throw {@link ConfigurationException} naming the option, the
 * value and the allowed range. Immutable and thread-safe. {@link #toString()} never prints secrets.
 */
public final class Config {
  private final Map<String, String> explicit;
  private final Map<String, ConfigOption> known;
  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;

  private Config(
      Map<String, String> explicit,
      Map<String, ConfigOption> known,
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
  public static Config of(Map<String, String> explicit, Map<String, ConfigOption> known) {
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
      Map<String, ConfigOption> known,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    return new Config(explicit, known, systemProperties, environment);
  }

  /**
   * Every option this configuration knows, by key.
   *
   * @return an unmodifiable, sorted map
   */
  public Map<String, ConfigOption> options() {
    return known;
  }

  /**
   * The value of {@code key}, from the first source that sets it.
   *
   * @param key an option key
   * @return the value, or empty when no source sets it and it has no default
   * @throws ConfigurationException when the key is not a known option
   */
  public Optional<String> get(String key) {
    ConfigOption option = option(key);
    String value = setValue(option);
    if (value == null) {
      value = option.defaultValue();
    }
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * Whether a source sets {@code key} to a value that is not blank: its default does not count.
   *
   * @param key an option key
   * @return true when set in code, as a system property or in the environment
   * @throws ConfigurationException when the key is not a known option
   */
  public boolean isSet(String key) {
    String value = setValue(option(key));
    return value != null && !value.isBlank();
  }

  private ConfigOption option(String key) {
    ConfigOption option = known.get(key);
    if (option == null) {
      throw ConfigurationException.unknownOption(key, known.keySet(), null);
    }
    return option;
  }

  /** The value the first source that sets the option gives, or null; the default is not a source. */
  private String setValue(ConfigOption option) {
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

  /**
   * The value of a key that has a default or must be set.
   *
   * @param key an option key
   * @return the value
   * @throws ConfigurationException when no source sets it
   */
  public String require(String key) {
    return get(key)
        .orElseThrow(
            () -> {
              ConfigOption o = known.get(key);
              return new ConfigurationException(
                  "option '" + key + "' is required: set it on the builder, as -D"
                      + o.systemProperty() + ", or as the environment variable "
                      + o.environmentVariable()
                      + (o.envAliases().isEmpty() ? "" : " or " + String.join(" or ", o.envAliases())));
            });
  }

  /**
   * An integer option within {@code [min, max]}.
   *
   * @param key the option key
   * @param fallback the value when unset
   * @param min smallest allowed
   * @param max largest allowed
   * @return the value
   * @throws ConfigurationException naming the option, the value and the range
   */
  public int getInt(String key, int fallback, int min, int max) {
    return (int) getLong(key, fallback, min, max);
  }

  /**
   * A long option within {@code [min, max]}.
   *
   * @param key the option key
   * @param fallback the value when unset
   * @param min smallest allowed
   * @param max largest allowed
   * @return the value
   * @throws ConfigurationException naming the option, the value and the range
   */
  public long getLong(String key, long fallback, long min, long max) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.get().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          "option '" + key + "' must be a whole number in [" + min + ", " + max + "], was '"
              + shown(key, raw.get()) + "'");
    }
    if (value < min || value > max) {
      throw new ConfigurationException(
          "option '" + key + "' must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /**
   * A boolean option ({@code true} or {@code false}, any case).
   *
   * @param key the option key
   * @param fallback the value when unset
   * @return the value
   * @throws ConfigurationException when the value is neither
   */
  public boolean getBoolean(String key, boolean fallback) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    String v = raw.get().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new ConfigurationException(
        "option '" + key + "' must be true or false, was '" + shown(key, raw.get()) + "'");
  }

  /**
   * A duration option: ISO-8601 ({@code PT30S}) or a number with a unit ({@code 250ms}, {@code 30s},
   * {@code 5m}, {@code 1h}).
   *
   * @param key the option key
   * @param fallback the value when unset
   * @return the value, never negative
   * @throws ConfigurationException when malformed or negative
   */
  public Duration getDuration(String key, Duration fallback) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      Duration d = parseDuration(raw.get());
      if (d.isNegative()) {
        throw new ConfigurationException("option '" + key + "' must not be negative, was " + raw.get());
      }
      return d;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new ConfigurationException(
          "option '" + key + "' must be a duration such as 250ms, 30s, 5m or PT30S, was '"
              + shown(key, raw.get()) + "'");
    }
  }

  /**
   * An enum option, matched case-insensitively with {@code -} read as {@code _}.
   *
   * @param key the option key
   * @param type the enum class
   * @param fallback the value when unset
   * @param <E> the enum type
   * @return the value
   * @throws ConfigurationException listing the allowed values
   */
  public <E extends Enum<E>> E getEnum(String key, Class<E> type, E fallback) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    String name = raw.get().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigurationException(
        "option '" + key + "' must be one of " + allowed + ", was '" + raw.get() + "'");
  }

  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1).strip());
    switch (t.charAt(t.length() - 1)) {
      case 's':
        return Duration.ofSeconds(n);
      case 'm':
        return Duration.ofMinutes(n);
      case 'h':
        return Duration.ofHours(n);
      default:
        throw new NumberFormatException(text);
    }
  }

  private String shown(String key, String value) {
    ConfigOption o = known.get(key);
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

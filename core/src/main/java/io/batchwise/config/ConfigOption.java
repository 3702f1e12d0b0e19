package io.batchwise.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configuration option, declared once: its key, value type, how its text is read, its default,
 * its allowed range, whether it is secret, and its documentation. Every read is {@link
 * Config#get(ConfigOption)} (or {@link Config#find(ConfigOption)} for an option that may be unset),
 * which returns the typed, range-checked value; no reader repeats a default or a bound.
 *
 * <p>Every option may be set on the builder ({@code Batchwise.builder().option(key, value)}), as
 * the system property {@code batchwise.<key>}, or as the environment variable {@code
 * BATCHWISE_<KEY>} (upper case, {@code .} and {@code -} as {@code _}); the first found wins. {@link
 * #envAliases()} adds conventional variables such as {@code OPENAI_API_KEY}, consulted after {@code
 * BATCHWISE_<KEY>}.
 *
 * <p>A declaration is one statement:
 *
 * <pre>{@code
 * static final ConfigOption<Integer> MAX_ATTEMPTS =
 *     ConfigOption.integer("max-attempts", 1, 20, "tries per provider call").withDefault(4);
 * static final ConfigOption<Duration> TIMEOUT =
 *     ConfigOption.duration("svc.timeout", ConfigOption.POSITIVE, "time one request may take")
 *         .withDefault(Duration.ofSeconds(30));
 * static final ConfigOption<String> API_KEY =
 *     ConfigOption.secret("svc.api-key", "the service's API key", "SVC_API_KEY");
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return changed copies.
 *
 * @param <T> the type of the option's values
 */
public final class ConfigOption<T> {
  /** The smallest positive duration, as the lower bound of an option that must be positive. */
  public static final Duration POSITIVE = Duration.ofNanos(1);

  private final String key;
  private final OptionKind<T> kind;
  private final String description;
  private final T defaultValue;
  private final Supplier<? extends T> derivedDefault;
  private final List<String> envAliases;
  private final boolean secret;

  private ConfigOption(
      String key,
      OptionKind<T> kind,
      String description,
      T defaultValue,
      Supplier<? extends T> derivedDefault,
      List<String> envAliases,
      boolean secret) {
    this.key = Objects.requireNonNull(key, "key");
    this.kind = kind;
    this.description = Objects.requireNonNull(description, "description");
    if (!key.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
      throw new IllegalArgumentException(
          "option key '" + key + "' must be lowercase words joined by '-' or '.'");
    }
    this.envAliases = List.copyOf(envAliases);
    this.secret = secret;
    this.derivedDefault = derivedDefault;
    this.defaultValue = defaultValue == null ? null : kind.check(this, defaultValue);
  }

  private static <T> ConfigOption<T> declare(String key, OptionKind<T> kind, String description) {
    return new ConfigOption<>(key, kind, description, null, null, List.of(), false);
  }

  /**
   * A free-text option.
   *
   * @param key the key: lowercase words joined by {@code -}, namespaced with {@code .}, e.g. {@code
   *     openai.base-url}
   * @param defaultValue the value when none is set, or null for none
   * @param description one sentence for the configuration reference
   * @return the option
   */
  public static ConfigOption<String> text(String key, String defaultValue, String description) {
    return ConfigOption.<String>declare(key, new OptionKind.Text(), description)
        .withDefault(defaultValue);
  }

  /**
   * A secret text option (never printed, in values or in errors), optionally read from conventional
   * environment variables; it has no default.
   *
   * @param key the key
   * @param description what it does
   * @param envAliases extra environment variables, e.g. {@code OPENAI_API_KEY}
   * @return the option
   */
  public static ConfigOption<String> secret(String key, String description, String... envAliases) {
    return new ConfigOption<>(
        key, new OptionKind.Text(), description, null, null, List.of(envAliases), true);
  }

  /**
   * A {@code true}/{@code false} option.
   *
   * @param key the key
   * @param defaultValue the value when none is set, or null for none
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Boolean> flag(String key, Boolean defaultValue, String description) {
    return declare(key, new OptionKind.Flag(), description).withDefault(defaultValue);
  }

  /**
   * A whole-number option in {@code [min, max]}, without a default (add one with {@link
   * #withDefault}); {@code _} may group digits.
   *
   * @param key the key
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Integer> integer(String key, int min, int max, String description) {
    return declare(key, new OptionKind.Range<>(OptionKind.Unit.INT, min, max), description);
  }

  /**
   * A whole-number option in {@code [min, max]} that may exceed an {@code int}, without a default.
   *
   * @param key the key
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Long> longInteger(String key, long min, long max, String description) {
    return declare(key, new OptionKind.Range<>(OptionKind.Unit.LONG, min, max), description);
  }

  /**
   * A decimal number in {@code [min, max]} (such as a sampling temperature or a price), without a
   * default.
   *
   * @param key the key
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Double> decimal(
      String key, double min, double max, String description) {
    return declare(key, new OptionKind.Range<>(OptionKind.Unit.DECIMAL, min, max), description);
  }

  /**
   * A size in bytes in {@code [min, max]}, written as a whole number with an optional unit {@code
   * b}, {@code kb}, {@code mb} or {@code gb} (powers of 1024), without a default.
   *
   * @param key the key
   * @param min the smallest allowed size
   * @param max the largest allowed size ({@code Long.MAX_VALUE} for no upper bound)
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Long> bytes(String key, long min, long max, String description) {
    return declare(key, new OptionKind.Range<>(OptionKind.Unit.BYTES, min, max), description);
  }

  /**
   * A duration of at least {@code min} (as {@link Durations} reads them), without a default.
   *
   * @param key the key
   * @param min the shortest allowed, {@link Duration#ZERO} or {@link #POSITIVE} for the usual rules
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Duration> duration(String key, Duration min, String description) {
    return duration(key, min, Durations.MAX, description);
  }

  /**
   * A duration in {@code [min, max]}, without a default.
   *
   * @param key the key
   * @param min the shortest allowed
   * @param max the longest allowed
   * @param description what it does
   * @return the option
   */
  public static ConfigOption<Duration> duration(
      String key, Duration min, Duration max, String description) {
    return declare(key, new OptionKind.Range<>(OptionKind.Unit.DURATION, min, max), description);
  }

  /**
   * One of an enum's constants, written in lower case with {@code -} for {@code _} and read in any
   * case, without a default.
   *
   * @param key the key
   * @param type the enum
   * @param description what it does
   * @param <E> the enum type
   * @return the option
   */
  public static <E extends Enum<E>> ConfigOption<E> choice(
      String key, Class<E> type, String description) {
    return declare(key, new OptionKind.Choice<>(type, OptionKind.Choice::hyphenated), description);
  }

  /**
   * One of an enum's constants, each written as {@code spelling} gives it (where the values are a
   * service's own names, such as {@code json_schema}), read in any case with {@code -} and {@code
   * _} alike, without a default.
   *
   * @param key the key
   * @param type the enum
   * @param spelling how each constant is written in configuration, references and messages
   * @param description what it does
   * @param <E> the enum type
   * @return the option
   */
  public static <E extends Enum<E>> ConfigOption<E> choice(
      String key, Class<E> type, Function<? super E, String> spelling, String description) {
    return declare(
        key,
        new OptionKind.Choice<>(type, Objects.requireNonNull(spelling, "spelling")),
        description);
  }

  /**
   * This option with a default.
   *
   * @param value the value when none is set, or null for none; checked against the range
   * @return a copy
   * @throws ConfigurationException when the default is out of range
   */
  public ConfigOption<T> withDefault(T value) {
    return new ConfigOption<>(key, kind, description, value, null, envAliases, secret);
  }

  /**
   * This option with a default computed when it is read (e.g. from the number of cores); the
   * description should say what it is.
   *
   * @param value computes the default when the option is read
   * @return a copy
   */
  public ConfigOption<T> withDerivedDefault(Supplier<? extends T> value) {
    return new ConfigOption<>(
        key, kind, description, null, Objects.requireNonNull(value, "value"), envAliases, secret);
  }

  /**
   * This option, also read from conventional environment variables after {@code BATCHWISE_<KEY>}.
   *
   * @param names the variables, in order
   * @return a copy
   */
  public ConfigOption<T> withEnvAliases(String... names) {
    return new ConfigOption<>(
        key, kind, description, defaultValue, derivedDefault, List.of(names), secret);
  }

  /**
   * This option with its upper bound lowered to a limit known only at run time (such as what a
   * provider declares), for an option that may only lower that limit. The key, default and sources
   * stay the same, so reading the copy reads the same setting under the tighter bound.
   *
   * @param max the new upper bound; the declared one stays when it is lower
   * @return a copy
   * @throws IllegalArgumentException when {@code max} is below the option's minimum
   */
  public ConfigOption<T> atMost(T max) {
    return new ConfigOption<>(
        key, kind.atMost(this, max), description, null, null, envAliases, secret);
  }

  /**
   * The option's key.
   *
   * @return e.g. {@code openai.base-url}
   */
  public String key() {
    return key;
  }

  /**
   * One sentence for the configuration reference and {@code batchwise providers}.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The Java type of the option's values.
   *
   * @return e.g. {@code Integer.class}
   */
  public Class<T> type() {
    return kind.type();
  }

  /**
   * The value used when none is set: the declared default, or the derived one computed now.
   *
   * @return the default, or empty when the option has none
   */
  public Optional<T> defaultValue() {
    if (derivedDefault != null) {
      // not range-checked: a default derived from the machine (cores x 2 on a very large one) must
      // not make an unset option fail
      return Optional.of(derivedDefault.get());
    }
    return Optional.ofNullable(defaultValue);
  }

  /**
   * The declared default as it would be written in configuration, for references and IDE metadata.
   *
   * @return the text, or null when the option has no fixed default (none, or a derived one)
   */
  public String defaultText() {
    return defaultValue == null ? null : kind.format(defaultValue);
  }

  /**
   * What values are allowed, in words, e.g. {@code 1 to 1024}, {@code a positive duration}, {@code
   * fail or truncate}.
   *
   * @return the description of the allowed values
   */
  public String allowed() {
    return kind.allowed();
  }

  /**
   * The allowed values when they are few (an enum's, a flag's).
   *
   * @return the values as written in configuration, or an empty list
   */
  public List<String> values() {
    return kind.values();
  }

  /**
   * Extra environment variables read after {@code BATCHWISE_<KEY>}.
   *
   * @return the names, in order
   */
  public List<String> envAliases() {
    return envAliases;
  }

  /**
   * Whether the value must never be printed (API keys, passwords).
   *
   * @return true for a secret
   */
  public boolean secret() {
    return secret;
  }

  /**
   * Reads and checks a value as configured.
   *
   * @param text the value, surrounding spaces ignored
   * @return the value
   * @throws ConfigurationException naming the option, the value (unless secret) and what is allowed
   */
  public T parse(String text) {
    return kind.parse(this, text.strip());
  }

  /**
   * Checks a value given in code (a settings record, a constructor argument) against this option's
   * range, so that code and configuration share one rule and one message.
   *
   * @param value the value
   * @return the value
   * @throws ConfigurationException naming the option, the value (unless secret) and the range
   * @throws NullPointerException when the value is null
   */
  public T check(T value) {
    return kind.check(this, value);
  }

  /**
   * Writes a value the way {@link #parse} reads it.
   *
   * @param value the value
   * @return the text
   */
  public String format(T value) {
    return kind.format(value);
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

  /** A value as an error message may show it: masked for a secret. */
  String shown(String text) {
    return secret ? "****" : text;
  }

  /**
   * Equal when declared alike: same key, type, allowed values, default, sources and documentation.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigOption<?> other
        && key.equals(other.key)
        && type().equals(other.type())
        && allowed().equals(other.allowed())
        && Objects.equals(defaultText(), other.defaultText())
        && description.equals(other.description)
        && envAliases.equals(other.envAliases)
        && secret == other.secret;
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  /** The key, type and allowed values; never a value. */
  @Override
  public String toString() {
    return "ConfigOption[" + key + ": " + type().getSimpleName() + ", " + allowed() + "]";
  }
}

package io.batchwise.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What values an option takes: how its text is read, how a value is written back, what range it
 * must lie in, and how the configuration reference describes that. One instance per declared
 * option; immutable.
 *
 * @param <T> the option's value type
 */
abstract class OptionKind<T> {
  private final Class<T> type;

  OptionKind(Class<T> type) {
    this.type = type;
  }

  /** The Java type of the values. */
  final Class<T> type() {
    return type;
  }

  /**
   * Reads a value and checks it.
   *
   * @param option the option, for messages
   * @param text the value as configured, stripped and not empty
   * @return the value
   * @throws ConfigurationException naming the option, the value (unless secret) and what is allowed
   */
  abstract T parse(ConfigOption<T> option, String text);

  /** Writes a value the way {@link #parse} reads it. */
  abstract String format(T value);

  /** What values are allowed, for the configuration reference, e.g. {@code 1 to 1024}. */
  abstract String allowed();

  /**
   * Checks a value given in code against the range.
   *
   * @throws ConfigurationException naming the option, the value and the range
   */
  T check(ConfigOption<T> option, T value) {
    return Objects.requireNonNull(value, () -> "value of option '" + option.key() + "'");
  }

  /** The allowed values when they are few (an enum's, a boolean's), else empty. */
  List<String> values() {
    return List.of();
  }

  /** This kind with an upper bound no higher than {@code max}. */
  OptionKind<T> atMost(ConfigOption<T> option, T max) {
    throw new UnsupportedOperationException("option '" + option.key() + "' has no range to narrow");
  }

  /** Free text. */
  static final class Text extends OptionKind<String> {
    Text() {
      super(String.class);
    }

    @Override
    String parse(ConfigOption<String> option, String text) {
      return text;
    }

    @Override
    String format(String value) {
      return value;
    }

    @Override
    String allowed() {
      return "text";
    }
  }

  /** {@code true} or {@code false}, any case. */
  static final class Flag extends OptionKind<Boolean> {
    Flag() {
      super(Boolean.class);
    }

    @Override
    Boolean parse(ConfigOption<Boolean> option, String text) {
      String v = text.toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
      throw new ConfigurationException(
          "option '" + option.key() + "' must be true or false, was '" + option.shown(text) + "'");
    }

    @Override
    String format(Boolean value) {
      return value.toString();
    }

    @Override
    String allowed() {
      return "true or false";
    }

    @Override
    List<String> values() {
      return List.of("true", "false");
    }
  }

  /**
   * An enum's constants, each written as a spelling function gives it (by default in lower case
   * with {@code -} for {@code _}); read in any case, {@code -} and {@code _} alike.
   */
  static final class Choice<E extends Enum<E>> extends OptionKind<E> {
    private final Function<? super E, String> spelling;

    Choice(Class<E> type, Function<? super E, String> spelling) {
      super(type);
      this.spelling = spelling;
    }

    /** The default spelling: {@code JSON_OBJECT} as {@code json-object}. */
    static String hyphenated(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String normalized(String text) {
      return text.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    E parse(ConfigOption<E> option, String text) {
      String name = normalized(text);
      for (E e : type().getEnumConstants()) {
        if (normalized(format(e)).equals(name)) {
          return e;
        }
      }
      throw new ConfigurationException(
          "option '"
              + option.key()
              + "' must be "
              + allowed()
              + ", was '"
              + option.shown(text)
              + "'");
    }

    @Override
    String format(E value) {
      return spelling.apply(value);
    }

    @Override
    String allowed() {
      List<String> values = values();
      return values.size() == 1
          ? values.get(0)
          : String.join(", ", values.subList(0, values.size() - 1))
              + " or "
              + values.get(values.size() - 1);
    }

    @Override
    List<String> values() {
      List<String> values = new ArrayList<>();
      for (E e : type().getEnumConstants()) {
        values.add(format(e));
      }
      return values;
    }
  }

  /**
   * A value in {@code [min, max]}: whole numbers, sizes in bytes, durations.
   *
   * @param <T> the value type
   */
  static final class Range<T extends Comparable<? super T>> extends OptionKind<T> {
    private final Unit<T> unit;
    private final T min;
    private final T max;

    Range(Unit<T> unit, T min, T max) {
      super(unit.type);
      if (min.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "the range [" + unit.format(min) + ", " + unit.format(max) + "] is empty");
      }
      this.unit = unit;
      this.min = min;
      this.max = max;
    }

    @Override
    T parse(ConfigOption<T> option, String text) {
      T value;
      try {
        value = unit.read.apply(text);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new ConfigurationException(
            "option '"
                + option.key()
                + "' must be "
                + unit.malformed.apply(this)
                + ", was '"
                + option.shown(text)
                + "'");
      }
      return check(option, value);
    }

    @Override
    T check(ConfigOption<T> option, T value) {
      super.check(option, value);
      if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
        return value;
      }
      String shown = option.secret() ? "****" : unit.format(value);
      if (unboundedAbove() && unit.zero != null) {
        // a duration or size with only a lower bound reads best in words
        String rule =
            min.equals(unit.zero)
                ? "not be negative"
                : value.compareTo(unit.zero) <= 0
                    ? "be positive"
                    : "be at least " + unit.format(min);
        throw new ConfigurationException(
            "option '" + option.key() + "' must " + rule + ", was " + shown);
      }
      throw new ConfigurationException(
          "option '" + option.key() + "' must be in " + bounds() + ", was " + shown);
    }

    private String bounds() {
      return "[" + unit.format(min) + ", " + unit.format(max) + "]";
    }

    @Override
    String format(T value) {
      return unit.format(value);
    }

    @Override
    String allowed() {
      return unit.describe.apply(this);
    }

    @Override
    OptionKind<T> atMost(ConfigOption<T> option, T newMax) {
      if (newMax.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "option '"
                + option.key()
                + "' cannot be narrowed to at most "
                + unit.format(newMax)
                + ": its minimum is "
                + unit.format(min));
      }
      return new Range<>(unit, min, newMax.compareTo(max) < 0 ? newMax : max);
    }

    T min() {
      return min;
    }

    T max() {
      return max;
    }

    boolean unboundedAbove() {
      return max.equals(unit.largest);
    }

    String formatted(T value) {
      return unit.format(value);
    }
  }

  /**
   * How the values of a {@link Range} are read, written and described.
   *
   * @param <T> the value type
   */
  static final class Unit<T extends Comparable<? super T>> {
    private static final Pattern SIZE = Pattern.compile("(-?\\d[\\d_]*)\\s*(b|kb|k|mb|m|gb|g)?");

    /** Whole numbers; {@code _} may group digits. */
    static final Unit<Integer> INT =
        new Unit<>(
            Integer.class,
            t -> Integer.valueOf(t.replace("_", "")),
            String::valueOf,
            null,
            Integer.MAX_VALUE,
            r -> "a whole number in " + r.bounds(),
            Unit::wholeNumbers);

    /** Whole numbers; {@code _} may group digits. */
    static final Unit<Long> LONG =
        new Unit<>(
            Long.class,
            t -> Long.valueOf(t.replace("_", "")),
            String::valueOf,
            null,
            Long.MAX_VALUE,
            r -> "a whole number in " + r.bounds(),
            Unit::wholeNumbers);

    /** Decimal numbers, e.g. {@code 0.7}, {@code 2}, {@code 1.5e-3}; not NaN or infinite. */
    static final Unit<Double> DECIMAL =
        new Unit<>(
            Double.class,
            Unit::parseDecimal,
            Unit::formatDecimal,
            null,
            Double.MAX_VALUE,
            r -> "a number in " + r.bounds(),
            Unit::decimals);

    /** Sizes in bytes: a whole number with an optional unit b, kb, mb or gb (powers of 1024). */
    static final Unit<Long> BYTES =
        new Unit<>(
            Long.class,
            Unit::parseBytes,
            Unit::formatBytes,
            0L,
            Long.MAX_VALUE,
            r -> "a size such as 256mb, 1g or 1048576",
            r ->
                "a size in bytes such as 256mb or 1g"
                    + (r.unboundedAbove()
                        ? ", at least " + r.formatted(r.min())
                        : ", " + r.formatted(r.min()) + " to " + r.formatted(r.max())));

    /** Durations as {@link Durations} reads them. */
    static final Unit<Duration> DURATION =
        new Unit<>(
            Duration.class,
            Durations::parse,
            Durations::format,
            Duration.ZERO,
            Durations.MAX,
            r -> "a duration such as " + Durations.EXAMPLES,
            Unit::durations);

    private final Class<T> type;
    private final Function<String, T> read;
    private final Function<T, String> write;

    /** The value below which "must be positive" or "must not be negative" says it best, or null. */
    private final T zero;

    /** The largest value of the type: a range up to it has no upper bound worth stating. */
    private final T largest;

    private final Function<Range<T>, String> malformed;
    private final Function<Range<T>, String> describe;

    private Unit(
        Class<T> type,
        Function<String, T> read,
        Function<T, String> write,
        T zero,
        T largest,
        Function<Range<T>, String> malformed,
        Function<Range<T>, String> describe) {
      this.type = type;
      this.read = read;
      this.write = write;
      this.zero = zero;
      this.largest = largest;
      this.malformed = malformed;
      this.describe = describe;
    }

    String format(T value) {
      return write.apply(value);
    }

    private static <N extends Comparable<? super N>> String wholeNumbers(Range<N> r) {
      return r.unboundedAbove()
          ? r.formatted(r.min()) + " or more"
          : r.formatted(r.min()) + " to " + r.formatted(r.max());
    }

    private static String decimals(Range<Double> r) {
      return r.unboundedAbove()
          ? "a number of at least " + r.formatted(r.min())
          : "a number from " + r.formatted(r.min()) + " to " + r.formatted(r.max());
    }

    private static double parseDecimal(String text) {
      double d = Double.parseDouble(text.replace("_", ""));
      if (!Double.isFinite(d)
          || text.endsWith("d")
          || text.endsWith("D")
          || text.endsWith("f")
          || text.endsWith("F")) {
        throw new IllegalArgumentException(
            text); // Java's type suffixes are not a number as configured
      }
      return d;
    }

    private static String formatDecimal(Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? Long.toString(d.longValue())
          : Double.toString(d);
    }

    private static String durations(Range<Duration> r) {
      if (!r.unboundedAbove()) {
        return "a duration from " + r.formatted(r.min()) + " to " + r.formatted(r.max());
      }
      if (r.min().isZero()) {
        return "a duration";
      }
      return r.min().compareTo(Duration.ofMillis(1)) <= 0
          ? "a positive duration"
          : "a duration of at least " + r.formatted(r.min());
    }

    private static long parseBytes(String text) {
      Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException(text);
      }
      long n = Long.parseLong(m.group(1).replace("_", ""));
      String unit = m.group(2) == null ? "b" : m.group(2);
      int shift =
          unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
      if (Math.abs(n) > Long.MAX_VALUE >> shift) {
        throw new ArithmeticException(text);
      }
      return n << shift;
    }

    private static String formatBytes(Long bytes) {
      long b = bytes;
      if (b != 0) {
        for (String[] u : new String[][] {{"30", "gb"}, {"20", "mb"}, {"10", "kb"}}) {
          long unit = 1L << Integer.parseInt(u[0]);
          if (b % unit == 0) {
            return (b / unit) + u[1];
          }
        }
      }
      return Long.toString(b);
    }
  }
}

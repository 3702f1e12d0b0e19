package io.batchwise.config;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration value is unknown, malformed or out of range. The message names the option, the
 * bad value (never a secret's) and what is allowed.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and how to fix it
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * An option name that nothing declares, with at most three known names close to it.
   *
   * <pre>{@code
   * unknown option 'locl.model'; did you mean 'local.model'?
   * }</pre>
   *
   * @param key the unknown name
   * @param known every name that is declared
   * @param where how it was set, e.g. {@code set as -Dbatchwise.locl.model}, or null when that goes
   *     without saying (set in code, or on a command line that says so)
   * @return the exception
   */
  public static ConfigurationException unknownOption(
      String key, Collection<String> known, String where) {
    List<String> closest = ClosestNames.closest(key, known);
    return new ConfigurationException(
        "unknown option '"
            + key
            + "'"
            + (where != null ? " (" + where + ")" : "")
            + (closest.isEmpty()
                ? "; no option has a name like it (a provider's options exist when its artifact is on the classpath)"
                : "; did you mean "
                    + closest.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" or "))
                    + "?"));
  }
}

package io.batchwise.config;

/**
 * A configuration value is unknown, malformed or out of range. The message names the option, the bad
 * value (never a secret's) and what is allowed.
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
}

package io.batchwise.providers.openai.internal;

import java.util.Objects;

/**
 * An API key that never prints itself: {@link #toString()} is {@code ****}, and only the code that
 * builds request headers reads {@link #reveal()}.
 */
final class ApiKey {
  private final String value;

  ApiKey(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}

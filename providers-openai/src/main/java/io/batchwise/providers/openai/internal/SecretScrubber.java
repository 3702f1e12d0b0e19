package io.batchwise.providers.openai.internal;

import java.util.regex.Pattern;

/**
 * Removes API keys from text a server sent back before it goes into an exception or a log: the
 * configured key itself, and anything shaped like an OpenAI key ({@code sk-…}, which OpenAI's 401
 * message quotes partly masked). Thread-safe.
 */
final class SecretScrubber {
  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_\\-*.]{3,}");
  private static final String MASK = "****";

  private final String key; // null when none is configured

  SecretScrubber(ApiKey key) {
    this.key = key == null || key.reveal().isEmpty() ? null : key.reveal();
  }

  /**
   * {@code text} with every key and key-like token replaced by {@code ****}.
   *
   * @param text server text, or null
   * @return the scrubbed text, or null
   */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String t = key != null ? text.replace(key, MASK) : text;
    return KEY_LIKE.matcher(t).replaceAll("sk-" + MASK);
  }
}

package io.batchwise.internal.embed;

import io.batchwise.InvalidInputException;

/**
 * The first stage: decides whether each input can be embedded at all, before any work is spent on it.
 *
 * <p>Outcomes, each naming the input's index: {@code null} fails ("input 3 is null"); an empty or
 * whitespace-only string fails (no provider embeds it meaningfully and remote APIs reject it); a
 * string with an unpaired surrogate fails, naming the char position (it cannot be encoded as UTF-8
 * without changing it); a string longer than the character limit fails, naming the limit, before it is
 * tokenized (a runaway input must not stall the job). Everything else passes unchanged.
 */
final class InputValidator {
  private final int maxChars;

  InputValidator(int maxChars) {
    this.maxChars = maxChars;
  }

  /**
   * Checks one input.
   *
   * @param index its position
   * @param text the input
   * @return null when it is valid, else the reason
   */
  InvalidInputException check(long index, String text) {
    if (text == null) {
      return new InvalidInputException(index, "input " + index + " is null");
    }
    if (text.length() > maxChars) {
      return new InvalidInputException(
          index,
          "input " + index + " has " + text.length() + " chars; the limit is " + maxChars
              + " (option max-input-chars)");
    }
    if (text.isBlank()) {
      return new InvalidInputException(
          index, "input " + index + (text.isEmpty() ? " is empty" : " is whitespace only"));
    }
    int bad = unpairedSurrogate(text);
    if (bad >= 0) {
      return new InvalidInputException(
          index, "input " + index + " has an unpaired surrogate at char " + bad
              + " (not valid Unicode; it cannot be encoded as UTF-8)");
    }
    return null;
  }

  static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}

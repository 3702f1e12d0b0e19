package io.batchwise.providers.openai.internal;

import io.batchwise.tokenizer.SegmentPlanner.Boundaries;

/**
 * Where every tiktoken encoding (r50k, p50k, cl100k, o200k) starts a new piece of text whatever
 * follows, so that tokenizing the parts separately gives the whole text's tokens.
 *
 * <p>tiktoken first splits text with a regular expression, then merges bytes only within a piece.
 * Two places are certain piece starts in all four expressions: a single space that follows a
 * non-space and precedes a letter (the space opens the word's piece, as in {@code " word"}; after
 * other whitespace it could join a run of spaces instead), and a punctuation mark other than the
 * apostrophe right after a letter or digit (a run of letters or digits never takes punctuation;
 * o200k's runs take an apostrophe for contractions, hence the exception). Text with neither, such
 * as a long run of CJK without punctuation, is one piece that only reading it whole tokenizes
 * exactly. Immutable.
 */
final class TiktokenBoundaries implements Boundaries {
  /** The one instance. */
  static final TiktokenBoundaries INSTANCE = new TiktokenBoundaries();

  private TiktokenBoundaries() {}

  @Override
  public boolean splitsBefore(String text, int index) {
    char c = text.charAt(index);
    if (c == ' ') {
      return index + 1 < text.length()
          && !isWhitespace(text.charAt(index - 1))
          && Character.isLetter(text.codePointAt(index + 1));
    }
    if (c == '\'') {
      return false;
    }
    return isPunctuation(text.codePointAt(index))
        && Character.isLetterOrDigit(text.codePointBefore(index));
  }

  /**
   * Whitespace in any of the encodings' senses (Java's {@code \s}, Unicode's White_Space), or a
   * control.
   */
  private static boolean isWhitespace(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == '\u0085'
        || Character.isISOControl(c);
  }

  private static boolean isPunctuation(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }
}

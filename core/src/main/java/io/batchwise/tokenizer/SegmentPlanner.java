package io.batchwise.tokenizer;

import java.util.Objects;

/**
 * Plans the segments in which a tokenizer reads a long text when it only needs its first tokens, so
 * that holding a 50 MB input to 256 tokens reads a few KB of it, not 50 MB.
 *
 * <p>A segment ends where the tokenizer itself splits the text ({@link Boundaries}): there,
 * tokenizing the segments one after another gives exactly the tokens of tokenizing the whole text,
 * so a segment's tokens are final, the word at a later cut included, and no character is tokenized
 * twice. Each segment is sized from an estimate of how many characters hold the tokens still
 * wanted. The estimate weighs characters by class (a word of Latin letters, a CJK ideograph, a
 * Cyrillic letter, an emoji, a space) instead of assuming a fixed number of characters per token,
 * which would be off several times over between English, CJK and emoji. Until some tokens were seen
 * the first segment may be planned for only part of the tokens wanted; later ones are shortened
 * when the text proved denser than estimated, never lengthened (a too short segment costs one more
 * call, a too long one characters read past the cut). The end is then moved back to the nearest
 * boundary (or, with none behind, forward to the next one): a text with no boundary at all is read
 * whole, since nothing short of that gives its tokens exactly.
 *
 * <p>One planner per text and caller; not thread-safe.
 */
public final class SegmentPlanner {
  /**
   * Where a tokenizer may split a text so that tokenizing the parts separately gives the whole
   * text's tokens.
   */
  @FunctionalInterface
  public interface Boundaries {
    /** No text is ever split: a tokenizer whose splits are unknown reads every text whole. */
    Boundaries NONE = (text, index) -> false;

    /**
     * Whether {@code text} may be split before {@code index}.
     *
     * @param text the text
     * @param index a position with {@code 0 < index < text.length()}
     * @return true when the tokens of {@code text[0, index)} followed by those of {@code
     *     text[index, end)} are the tokens of {@code text[0, end)} for every later {@code end}
     *     (special tokens aside)
     */
    boolean splitsBefore(String text, int index);
  }

  /** Segments shorter than this are not worth a tokenizer call of their own. */
  static final int MIN_SEGMENT_CHARS = 64;

  /**
   * Tokens planned beyond the ones wanted, so that a close estimate rarely needs one more segment.
   */
  private static final double HEADROOM = 1.15;

  /**
   * The share of the wanted tokens {@link #SegmentPlanner(String, Boundaries)} plans the first
   * segment for.
   */
  public static final double WHOLE_SHARE = 1;

  /**
   * A share of the wanted tokens to plan the first segment for that keeps reading within a few
   * times the kept characters even for text several times denser than estimated (rare CJK
   * characters and emoji in a byte-level tokenizer), at the price of more than one call for a text
   * that fits.
   */
  public static final double CAUTIOUS_SHARE = 0.35;

  /**
   * How far the tokens seen may shorten segments, for text denser than estimated. They never
   * lengthen them: text that was sparse (emoji runs of one token, whitespace) may turn dense (CJK),
   * and reading far past the cut costs characters, while a segment too short costs only one more
   * call.
   */
  private static final double MAX_CORRECTION = 8;

  private final String text;
  private final Boundaries boundaries;
  private final double firstShare;
  private int end;

  /** Half-tokens estimated for {@code text[0, end)}. */
  private long estimatedHalves;

  private long tokensSeen;

  /**
   * Plans segments of {@code text} from its start, the first one for all the tokens wanted, so that
   * a text that likely fits is read in one call.
   *
   * @param text the text
   * @param boundaries where the tokenizer reading it may split it
   */
  public SegmentPlanner(String text, Boundaries boundaries) {
    this(text, boundaries, WHOLE_SHARE);
  }

  /**
   * Plans segments of {@code text} from its start.
   *
   * @param text the text
   * @param boundaries where the tokenizer reading it may split it
   * @param firstShare the share of the tokens wanted to plan the first segment for, in {@code (0,
   *     1]} (the estimate is unchecked until some tokens were seen); {@link #CAUTIOUS_SHARE} or
   *     {@link #WHOLE_SHARE}
   * @throws IllegalArgumentException when {@code firstShare} is out of range
   */
  public SegmentPlanner(String text, Boundaries boundaries, double firstShare) {
    this.text = Objects.requireNonNull(text, "text");
    this.boundaries = Objects.requireNonNull(boundaries, "boundaries");
    if (!(firstShare > 0 && firstShare <= 1)) {
      throw new IllegalArgumentException("firstShare was " + firstShare + "; it must be in (0, 1]");
    }
    this.firstShare = firstShare;
  }

  /**
   * Plans the next segment: from where the last one ended to a boundary far enough for {@code
   * tokensWanted} more tokens by the estimate, or to the text's end.
   *
   * @param tokensWanted how many more tokens the caller needs to see, at least 1
   * @return the segment's end, greater than its start unless the text is all planned
   */
  public int next(int tokensWanted) {
    int from = end;
    int length = text.length();
    if (from >= length) {
      return length;
    }
    double wanted = Math.max(1, tokensWanted) * HEADROOM + 2;
    if (from == 0 && length <= wanted * 1.5) {
      // at most 1.5 chars per token wanted: even a text of two tokens per char wastes little read
      // whole, and the common short input skips the estimate
      end = length;
      return end;
    }
    double plan = tokensSeen == 0 ? wanted * firstShare : wanted / correction();
    int planned = scanUntil(from, (long) Math.ceil(2 * plan));
    end = toBoundary(from, Math.max(planned, Math.min(length, from + MIN_SEGMENT_CHARS)));
    if (end < length) {
      estimatedHalves += halfTokens(from, end); // the segment read, for the next one's correction
    }
    return end;
  }

  /**
   * Records how many tokens the segment just planned held, which corrects the estimate for the
   * next.
   *
   * @param tokens the segment's tokens, special tokens not included
   */
  public void tokenized(int tokens) {
    tokensSeen += tokens;
  }

  /**
   * Tokens seen per estimated token so far, from 1 (no more than estimated) to {@link
   * #MAX_CORRECTION}.
   */
  private double correction() {
    if (estimatedHalves == 0) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_CORRECTION, 2.0 * tokensSeen / estimatedHalves));
  }

  /**
   * The position where the estimate from {@code from} reaches {@code halves}, never inside a
   * surrogate pair.
   */
  private int scanUntil(int from, long halves) {
    Estimate e = new Estimate();
    int i = from;
    while (i < text.length() && e.halves < halves) {
      int cp = text.codePointAt(i);
      e.add(cp);
      i += Character.charCount(cp);
    }
    return i;
  }

  private long halfTokens(int from, int to) {
    Estimate e = new Estimate();
    for (int i = from; i < to; ) {
      int cp = text.codePointAt(i);
      e.add(cp);
      i += Character.charCount(cp);
    }
    return e.halves;
  }

  /**
   * A running estimate of tokens, in halves. Being low costs characters read past the cut, being
   * high one more segment, so it leans high where tokenizers differ: a word of Latin letters or
   * digits counts 2, 1 more for every 3 letters from its 7th to its 15th and 2 for every 3 after
   * that (common words are one to three tokens; a longer run, a made-up word, a code or an
   * identifier, breaks into pieces of about 3 letters); a CJK character, a letter of another
   * script, a punctuation mark or a symbol 2 (tokenizers give them a token each, or more, unless a
   * word of them is in the vocabulary); an emoji 4 (byte-level tokenizers give it two or three); a
   * mark not on a Latin letter 1; spaces and controls 0.
   */
  private static final class Estimate {
    long halves;
    private int wordLength;

    void add(int cp) {
      if (isLatinWordChar(cp)) {
        if (wordLength == 0) {
          halves += 2;
        } else if (wordLength >= 6 && wordLength % 3 == 0) {
          halves += wordLength < 15 ? 1 : 2;
        }
        wordLength++;
        return;
      }
      int type = Character.getType(cp);
      if (wordLength > 0 && type == Character.NON_SPACING_MARK) {
        return; // an accent on the letter before it
      }
      wordLength = 0;
      halves +=
          switch (type) {
            case Character.SPACE_SEPARATOR,
                Character.LINE_SEPARATOR,
                Character.PARAGRAPH_SEPARATOR,
                Character.ENCLOSING_MARK,
                Character.COMBINING_SPACING_MARK,
                Character.CONTROL,
                Character.FORMAT ->
                0;
            case Character.NON_SPACING_MARK -> 1; // e.g. an emoji's variation selector
            case Character.OTHER_SYMBOL, Character.PRIVATE_USE, Character.UNASSIGNED ->
                4; // emoji: bytes, not words
            default -> 2; // CJK and other letters, digits of other scripts, punctuation, symbols
          };
    }

    private static boolean isLatinWordChar(int cp) {
      if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
      }
      return Character.isLetter(cp)
          && Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN;
    }
  }

  /**
   * Moves a planned end to a boundary: back to the nearest one that leaves the segment at least
   * {@link #MIN_SEGMENT_CHARS} long (reading less is never wrong, only one more call), else forward
   * to the next one, else to the text's end.
   */
  private int toBoundary(int from, int planned) {
    int length = text.length();
    if (planned >= length) {
      return length;
    }
    for (int b = planned; b >= from + MIN_SEGMENT_CHARS; b--) {
      if (splits(b)) {
        return b;
      }
    }
    for (int b = planned + 1; b < length; b++) {
      if (splits(b)) {
        return b;
      }
    }
    return length;
  }

  private boolean splits(int index) {
    return !Character.isLowSurrogate(text.charAt(index)) && boundaries.splitsBefore(text, index);
  }
}

package io.batchwise.testing;

import java.util.Random;

/**
 * Random texts that defeat a fixed characters-per-token guess: English words, runs of CJK without
 * spaces, emoji (surrogate pairs), long words without spaces, runs of whitespace, words of other
 * scripts, digits and accents, mixed in random order. Deterministic for a seed.
 */
public final class HardTexts {
  private static final String[] WORDS =
      ("the of and to in is was for that with as on by at from this be are it an or have not which"
              + " model vector embedding batch token budget cache provider latency throughput padding core"
              + " river mountain city market energy climate history music language garden window science"
              + " international understanding characterization responsibility, however. Yes! (maybe) don't")
          .split(" ");

  /**
   * Letters of scripts an English vocabulary breaks into small pieces: Cyrillic, Greek, Arabic,
   * Hebrew, Devanagari, Thai.
   */
  private static final int[][] SCRIPTS = {
    {0x0430, 0x044F},
    {0x03B1, 0x03C9},
    {0x0627, 0x064A},
    {0x05D0, 0x05EA},
    {0x0915, 0x0939},
    {0x0E01, 0x0E2E}
  };

  private static final String ACCENTED = "éèêëàâäôöûüçñíóúÉÀ";

  private final Random random;

  /**
   * A generator.
   *
   * @param seed the seed
   */
  public HardTexts(long seed) {
    this.random = new Random(seed);
  }

  /**
   * A text of about {@code chars} characters (a little more: the last piece is whole).
   *
   * @param chars the length to reach
   * @return the text
   */
  public String text(int chars) {
    StringBuilder b = new StringBuilder(chars + 256);
    while (b.length() < chars) {
      piece(b);
      if (random.nextInt(4) != 0) {
        b.append(' ');
      }
    }
    return b.toString();
  }

  /**
   * A text of about {@code chars} ASCII characters (English, long words, whitespace, digits), which
   * a {@code String} stores one byte per character: for texts of tens of megabytes.
   *
   * @param chars the length to reach
   * @return the text
   */
  public String asciiText(int chars) {
    StringBuilder b = new StringBuilder(chars + 256);
    while (b.length() < chars) {
      int kind = random.nextInt(9);
      piece(b, kind == 3 || kind == 4 || kind == 7 ? 0 : kind == 8 ? 5 : kind);
      b.append(' ');
    }
    return b.toString();
  }

  /**
   * A random number in a range, from this generator's sequence.
   *
   * @param from the least value
   * @param to the greatest value
   * @return a number in {@code [from, to]}
   */
  public int between(int from, int to) {
    return from + random.nextInt(to - from + 1);
  }

  private void piece(StringBuilder b) {
    piece(b, random.nextInt(9));
  }

  private void piece(StringBuilder b, int kind) {
    switch (kind) {
      case 0, 1, 2 -> { // English: most text is mostly this
        int n = between(3, 40);
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
      }
      case 3 -> { // CJK without spaces, now and then an ideographic full stop
        int n = between(5, 120);
        for (int i = 0; i < n; i++) {
          int r = random.nextInt(20);
          b.appendCodePoint(
              r == 0 ? 0x3002 : r < 14 ? between(0x4E00, 0x9FA5) : between(0x3041, 0x3096));
        }
      }
      case 4 -> { // emoji, as surrogate pairs, sometimes spaced, sometimes with a variation
        // selector
        int n = between(1, 30);
        for (int i = 0; i < n; i++) {
          b.appendCodePoint(between(0x1F300, 0x1F64F));
          if (random.nextInt(5) == 0) {
            b.append('\uFE0F');
          }
          if (random.nextBoolean()) {
            b.append(' ');
          }
        }
      }
      case 5 -> { // a long word without spaces
        int n = between(20, 120);
        for (int i = 0; i < n; i++) {
          b.append((char) between('a', 'z'));
        }
      }
      case 6 -> { // a run of whitespace
        int n = between(2, 120);
        for (int i = 0; i < n; i++) {
          b.append(" \t\n  \r\n".charAt(random.nextInt(7)));
        }
      }
      case 7 -> { // words of another script
        int[] script = SCRIPTS[random.nextInt(SCRIPTS.length)];
        int words = between(1, 12);
        for (int w = 0; w < words; w++) {
          int n = between(2, 9);
          b.append(w == 0 ? "" : " ");
          for (int i = 0; i < n; i++) {
            b.appendCodePoint(between(script[0], script[1]));
          }
        }
      }
      default -> { // digits, accents and combining marks
        b.append(between(0, 999_999)).append(' ');
        int n = between(1, 8);
        for (int i = 0; i < n; i++) {
          b.append(ACCENTED.charAt(random.nextInt(ACCENTED.length())));
          if (random.nextInt(4) == 0) {
            b.append('e').append('\u0301');
          }
        }
      }
    }
  }
}

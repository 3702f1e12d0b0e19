package io.batchwise.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic English-like texts for benchmarks: the same seed gives the same corpus on every
 * machine, so runs compare. Lengths are mixed the way a retrieval pipeline sees them: short
 * queries, sentences and RAG-sized chunks of about 700 characters.
 */
public final class SyntheticCorpus {
  private static final String[] WORDS =
      ("the of and to in is that for it as with was on be by this are from at or an have not which "
              + "batch embedding token model vector search index cache query document chunk text provider call "
              + "latency throughput memory thread queue result order limit budget request response server client "
              + "retrieval pipeline agent job schedule concurrent parallel sequential measure baseline median "
              + "ratio sample corpus paragraph sentence word language system data value number time second "
              + "river mountain forest city harbour library garden winter summer autumn spring morning evening "
              + "history science music painting theatre engineer teacher student farmer doctor sailor merchant "
              + "quickly slowly carefully together however although because therefore meanwhile afterwards "
              + "bright quiet ancient modern narrow broad gentle sudden careful simple complex common rare "
              + "build carry measure follow gather hold open reach send share turn write read learn remember "
              + "Zürich naïve café façade résumé 2024 3.14 42 1,000 e-mail co-operate state-of-the-art")
          .split(" ");

  private SyntheticCorpus() {}

  /**
   * A mixed-length corpus: a third short (3–12 words), a third sentence-sized (15–40 words), a
   * third chunk-sized (100–140 words, about 700 characters).
   *
   * @param size how many texts
   * @param seed the random seed
   * @return {@code size} texts, deterministic for the seed
   */
  public static List<String> mixed(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int words =
          switch (random.nextInt(3)) {
            case 0 -> 3 + random.nextInt(10);
            case 1 -> 15 + random.nextInt(26);
            default -> 100 + random.nextInt(41);
          };
      texts.add(text(random, words));
    }
    return texts;
  }

  /**
   * Texts of one length class.
   *
   * @param size how many texts
   * @param minWords the fewest words in a text, at least 1
   * @param maxWords the most words in a text, at least {@code minWords}
   * @param seed the random seed
   * @return {@code size} texts, deterministic for the seed
   */
  public static List<String> texts(int size, int minWords, int maxWords, long seed) {
    if (minWords < 1 || maxWords < minWords) {
      throw new IllegalArgumentException(
          "words must satisfy 1 <= minWords <= maxWords; they were "
              + minWords
              + " and "
              + maxWords);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      texts.add(text(random, minWords + random.nextInt(maxWords - minWords + 1)));
    }
    return texts;
  }

  /**
   * A corpus in which texts repeat, as in re-ingested documents or popular queries: {@code
   * distinct} mixed-length texts drawn {@code size} times, uniformly, so about {@code 1 -
   * distinct/size} of the draws are repeats once every text has appeared.
   *
   * @param distinct how many different texts, at least 1
   * @param size how many texts in all
   * @param seed the random seed
   * @return {@code size} texts with repeats, deterministic for the seed
   */
  public static List<String> withRepeats(int distinct, int size, long seed) {
    if (distinct < 1) {
      throw new IllegalArgumentException("distinct was " + distinct + "; it must be at least 1");
    }
    List<String> pool = mixed(distinct, seed);
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<String> texts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      texts.add(pool.get(random.nextInt(distinct)));
    }
    return texts;
  }

  private static String text(SplittableRandom random, int words) {
    StringBuilder b = new StringBuilder(words * 7);
    boolean sentenceStart = true;
    for (int w = 0; w < words; w++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      if (w > 0) {
        b.append(' ');
      }
      b.append(sentenceStart ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
      sentenceStart = random.nextInt(12) == 0;
      if (sentenceStart || w == words - 1) {
        b.append('.');
      } else if (random.nextInt(10) == 0) {
        b.append(',');
      }
    }
    return b.toString();
  }
}

package io.batchwise.benchmarks.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic, generated corpus of English-like texts of mixed length, shaped like what a RAG
 * pipeline embeds: short queries, sentences, ~700-character chunks, and a few long documents over
 * the model's 256-token limit (which get truncated). Nothing is downloaded.
 */
final class MixedCorpus {
  private static final String[] WORDS =
      ("the of and to in is was for that with as on by at from this be are it an or have not which"
              + " system data model user service request response error value table index query search result"
              + " document page section chapter report policy customer order payment account invoice price"
              + " market energy climate water river mountain city country history science language music"
              + " network server client cache memory disk thread process file stream batch token vector"
              + " build deploy release measure compare improve reduce increase support handle process return"
              + " quickly carefully usually often rarely always never today yesterday tomorrow early late"
              + " important simple complex large small new old first last next previous several many few"
              + " government company team project meeting decision budget forecast quarter revenue growth"
              + " patient doctor treatment study evidence result effect risk benefit trial dose symptom"
              + " algorithm function parameter variable interface module library framework version feature")
          .split(" ");

  private MixedCorpus() {}

  /**
   * Generates {@code n} texts.
   *
   * @param n how many
   * @param seed the random seed
   * @return 30% queries (4-14 words), 35% passages (25-100 words), 30% chunks (100-170 words, about
   *     700-1,000 characters), 5% long documents (300-600 words, over the 256-token limit)
   */
  static List<String> generate(int n, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double r = random.nextDouble();
      int words =
          r < 0.30
              ? 4 + random.nextInt(11)
              : r < 0.65
                  ? 25 + random.nextInt(76)
                  : r < 0.95 ? 100 + random.nextInt(71) : 300 + random.nextInt(301);
      texts.add(text(random, words, i));
    }
    return texts;
  }

  private static String text(Random random, int words, int id) {
    StringBuilder b = new StringBuilder(words * 7);
    b.append("Doc ").append(id).append(": ");
    int sentence = 0;
    for (int w = 0; w < words; w++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      if (sentence == 0) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      b.append(word);
      sentence++;
      if (w == words - 1 || (sentence > 6 && random.nextInt(10) == 0)) {
        b.append(". ");
        sentence = 0;
      } else if (random.nextInt(15) == 0) {
        b.append(", ");
      } else {
        b.append(' ');
      }
    }
    return b.toString().strip();
  }
}

package io.batchwise.providers.local.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic English-like texts whose lengths span 1 to about 250 word pieces, most of them
 * short.
 */
final class MixedTexts {
  private static final String[] WORDS =
      ("the of and to in is was for that with as on by at from this be are it an or have not which"
              + " model vector embedding batch token budget cache provider latency throughput padding core"
              + " river mountain city market energy climate history music language garden window science"
              + " quickly slowly carefully bright dark ancient modern simple complex careful honest"
              + " build run measure compare gather sort split count store read write learn teach travel")
          .split(" ");

  private MixedTexts() {}

  /**
   * {@code n} texts from {@code seed}: about 60% short (1-20 words), 30% medium, 10% long (up to
   * 230 words).
   */
  static List<String> generate(int n, long seed) {
    return generate(n, seed, 230);
  }

  /** {@code n} texts from {@code seed} of at most {@code maxWords} words, most of them short. */
  static List<String> generate(int n, long seed, int maxWords) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double r = random.nextDouble();
      int words =
          r < 0.6
              ? 1 + random.nextInt(20)
              : r < 0.9 ? 20 + random.nextInt(80) : 100 + random.nextInt(130);
      words = Math.min(words, maxWords);
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < words; w++) {
        b.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(b.append(i % 3 == 0 ? "." : "").toString());
    }
    return texts;
  }
}

package io.batchwise.examples.customprovider.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a text into a unit vector by feature hashing.
 *
 * <p>Features: each word that is not a stop word (weight {@value #WORD_WEIGHT}); each pair of
 * adjacent such words ({@value #PAIR_WEIGHT}), which rewards shared phrases; and, for the subword
 * model, the character trigrams of each such word of four or more letters, with {@code <} and
 * {@code >} marking its ends (each {@value #TRIGRAM_WEIGHT} / √(the word's trigrams), so a word's
 * trigrams together weigh as much as the word), so that inflections ({@code index}, {@code
 * indexes}) land close. A feature seen {@code n} times weighs {@code weight × (1 + ln n)} —
 * sublinear, so repetition does not dominate. Each feature adds {@code ±weight} to the dimension
 * its hash picks (the sign from another hash bit, so collisions cancel on average), and the vector
 * is scaled to unit length.
 *
 * <p>A text of stop words only uses them as features; a text without words uses its stripped
 * characters as one feature, so no vector is ever all zeros. Thread-safe and stateless.
 */
final class FeatureHasher {
  static final double WORD_WEIGHT = 1.0;
  static final double PAIR_WEIGHT = 0.6;
  static final double TRIGRAM_WEIGHT = 1.0;
  private static final int MIN_SUBWORD_LENGTH = 4;

  /** Common English function words: they carry little meaning and would dominate every vector. */
  static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did",
          "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if",
          "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she",
          "so", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
          "this", "those", "to", "too", "us", "was", "we", "were", "what", "when", "where", "which",
          "while", "who", "why", "will", "with", "would", "you", "your");

  private final WordTokenizer tokenizer;
  private final int dimensions;
  private final boolean subwords;

  FeatureHasher(WordTokenizer tokenizer, int dimensions, boolean subwords) {
    this.tokenizer = tokenizer;
    this.dimensions = dimensions;
    this.subwords = subwords;
  }

  int dimensions() {
    return dimensions;
  }

  static String wordFeature(String word) {
    return "w:" + word;
  }

  /**
   * Embeds one text.
   *
   * @param text the text
   * @return a unit vector of {@code dimensions} floats
   */
  float[] embed(String text) {
    Map<String, double[]> features = features(text);
    double[] v = new double[dimensions];
    for (Map.Entry<String, double[]> e : features.entrySet()) {
      double[] weightAndCount = e.getValue();
      double value = weightAndCount[0] * (1 + Math.log(weightAndCount[1]));
      long h = FeatureHash.of(e.getKey());
      v[FeatureHash.bucket(h, dimensions)] += FeatureHash.sign(h) * value;
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    float[] out = new float[dimensions];
    if (norm == 0) {
      // features that cancelled out exactly: fall back to one dimension so the vector stays usable
      out[FeatureHash.bucket(FeatureHash.of(text), dimensions)] = 1f;
      return out;
    }
    double scale = 1 / Math.sqrt(norm);
    for (int i = 0; i < dimensions; i++) {
      out[i] = (float) (v[i] * scale);
    }
    return out;
  }

  /** Feature → {weight of one occurrence, occurrences}. */
  private Map<String, double[]> features(String text) {
    List<String> all = tokenizer.words(text);
    List<String> words = all.stream().filter(w -> !STOP_WORDS.contains(w)).toList();
    if (words.isEmpty()) {
      words = all;
    }
    Map<String, double[]> features = new HashMap<>();
    if (words.isEmpty()) {
      add(features, "raw:" + text.strip(), WORD_WEIGHT);
      return features;
    }
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      add(features, wordFeature(w), WORD_WEIGHT);
      if (i > 0) {
        add(features, "p:" + words.get(i - 1) + ' ' + w, PAIR_WEIGHT);
      }
      if (subwords && w.length() >= MIN_SUBWORD_LENGTH) {
        String marked = '<' + w + '>';
        int grams = marked.length() - 2;
        double trigramWeight = TRIGRAM_WEIGHT / Math.sqrt(grams);
        for (int g = 0; g < grams; g++) {
          add(features, "t:" + marked.substring(g, g + 3), trigramWeight);
        }
      }
    }
    return features;
  }

  private static void add(Map<String, double[]> features, String feature, double weight) {
    double[] wc = features.computeIfAbsent(feature, f -> new double[] {weight, 0});
    wc[1]++;
  }
}

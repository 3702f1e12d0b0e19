package io.batchwise.cache.testing;

import io.batchwise.spi.CacheKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic test vectors: the same text always gives the same vector, different texts differ.
 */
public final class Vectors {
  /** A namespace like a real provider's. */
  public static final String NS = "fake/model-a/8/n";

  /** Another model's namespace. */
  public static final String OTHER_NS = "fake/model-b/8/n";

  private Vectors() {}

  /**
   * The vector of a text.
   *
   * @param text the text
   * @param dims the length
   * @return the vector
   */
  public static float[] of(String text, int dims) {
    long seed = 0;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      seed = seed * 31 + b;
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }

  /**
   * Texts {@code prefix-0 .. prefix-(n-1)}.
   *
   * @param prefix the prefix
   * @param n how many
   * @return the texts
   */
  public static List<String> texts(String prefix, int n) {
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      texts.add(prefix + "-" + i);
    }
    return texts;
  }

  /**
   * Keys and vectors of texts in a namespace.
   *
   * @param namespace the namespace
   * @param texts the texts
   * @param dims vector length
   * @return vectors by key, in text order
   */
  public static Map<CacheKey, float[]> entries(String namespace, List<String> texts, int dims) {
    Map<CacheKey, float[]> m = new LinkedHashMap<>();
    for (String t : texts) {
      m.put(CacheKey.of(namespace, t), of(t, dims));
    }
    return m;
  }
}

package io.batchwise.spark;

/** The loopback service's model: a text's vector depends on the text alone. */
final class TextVectors {
  static final int DIMENSIONS = 8;

  private TextVectors() {}

  /** The vector of a text. */
  static float[] of(String text) {
    float[] v = new float[DIMENSIONS];
    int h = text.hashCode();
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] = ((h >>> (3 * d)) & 63) / 7f + d + 0.25f;
    }
    return v;
  }
}

package io.batchwise.internal.index;

/** Checks a vector and scales it to unit length, so that cosine similarity is a dot product. */
final class UnitVectors {
  private UnitVectors() {}

  /**
   * A unit-length copy of {@code vector}.
   *
   * @param vector the vector
   * @param dimensions the length it must have
   * @param what names it in errors, e.g. {@code vector for id 'a'} or {@code query}
   * @return a new array of unit L2 norm
   * @throws IllegalArgumentException when the length is wrong, a value is NaN or infinite, or the
   *     vector is all zeros (its cosine with anything is undefined)
   */
  static float[] normalizedCopy(float[] vector, int dimensions, String what) {
    if (vector == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (vector.length != dimensions) {
      throw new IllegalArgumentException(
          what
              + " has "
              + vector.length
              + " dimensions; this index holds vectors of "
              + dimensions);
    }
    double sum = 0;
    for (int i = 0; i < vector.length; i++) {
      float x = vector[i];
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException(
            what + " has a non-finite value (" + x + ") at position " + i);
      }
      sum += (double) x * x;
    }
    if (sum == 0) {
      throw new IllegalArgumentException(
          what + " is all zeros; its cosine similarity is undefined");
    }
    double scale = 1.0 / Math.sqrt(sum);
    float[] out = new float[vector.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (vector[i] * scale);
    }
    return out;
  }
}

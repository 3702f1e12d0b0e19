package io.batchwise.internal.embed;

/**
 * What a vector must be to be used, whether a provider returned it or the cache held it: present,
 * of the model's dimensions, every value finite.
 */
final class VectorShape {
  private VectorShape() {}

  /**
   * What is wrong with a vector.
   *
   * @param v the vector, possibly null
   * @param dimensions the model's dimensions
   * @return why it cannot be used (e.g. {@code "a vector of 3 dimensions; the model declares 8"}),
   *     or null when it is fine
   */
  static String problem(float[] v, int dimensions) {
    if (v == null) {
      return "a null vector";
    }
    if (v.length != dimensions) {
      return "a vector of " + v.length + " dimensions; the model declares " + dimensions;
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return "a vector with a non-finite value (" + x + ")";
      }
    }
    return null;
  }
}

package io.batchwise.providers.local.internal;

import io.batchwise.providers.local.Pooling;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Pooling and L2 normalization as sentence-transformers does them: the attention-mask weighted mean
 * of the token vectors (padding excluded) or the first token's vector, then {@code v / max(‖v‖,
 * 1e-12)}.
 */
final class Poolers {
  /** The smallest norm divided by, as {@code torch.nn.functional.normalize} uses. */
  private static final double MIN_NORM = 1e-12;

  private Poolers() {}

  /**
   * Pools token vectors laid out as {@code [batch, length, dims]}.
   *
   * @param hidden the model's token vectors
   * @param batch rows
   * @param length padded tokens per row
   * @param dims floats per token vector
   * @param lengths the real (unpadded) tokens of each row, at least 1
   * @param pooling mean or CLS
   * @param normalize whether to L2-normalize each result
   * @return one vector per row
   */
  static float[][] pool(
      FloatBuffer hidden,
      int batch,
      int length,
      int dims,
      int[] lengths,
      Pooling pooling,
      boolean normalize) {
    float[][] out = new float[batch][];
    double[] sum = new double[dims];
    for (int r = 0; r < batch; r++) {
      int rowStart = r * length * dims;
      float[] v = new float[dims];
      if (pooling == Pooling.CLS) {
        hidden.get(rowStart, v);
      } else {
        Arrays.fill(sum, 0);
        int tokens = lengths[r];
        for (int t = 0; t < tokens; t++) {
          int at = rowStart + t * dims;
          for (int d = 0; d < dims; d++) {
            sum[d] += hidden.get(at + d);
          }
        }
        double count =
            Math.max(tokens, 1e-9); // sentence-transformers clamps the mask sum the same way
        for (int d = 0; d < dims; d++) {
          v[d] = (float) (sum[d] / count);
        }
      }
      out[r] = normalize ? normalized(v) : v;
    }
    return out;
  }

  /**
   * Splits vectors the model already pooled, laid out as {@code [batch, dims]}.
   *
   * @param pooled the model's sentence vectors
   * @param batch rows
   * @param dims floats per vector
   * @param normalize whether to L2-normalize each
   * @return one vector per row
   */
  static float[][] rows(FloatBuffer pooled, int batch, int dims, boolean normalize) {
    float[][] out = new float[batch][dims];
    for (int r = 0; r < batch; r++) {
      pooled.get(r * dims, out[r]);
      if (normalize) {
        out[r] = normalized(out[r]);
      }
    }
    return out;
  }

  /**
   * Scales {@code v} in place to unit L2 norm.
   *
   * @param v a vector
   * @return {@code v}
   */
  static float[] normalized(float[] v) {
    double squares = 0;
    for (float x : v) {
      squares += (double) x * x;
    }
    double norm = Math.max(Math.sqrt(squares), MIN_NORM);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}

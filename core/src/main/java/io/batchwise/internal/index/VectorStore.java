package io.batchwise.internal.index;

import io.batchwise.index.VectorIndex;
import java.util.Arrays;

/**
 * Rows of {@code dimensions} floats in one contiguous, growing array: row {@code r} occupies {@code
 * [r × dimensions, (r + 1) × dimensions)}. One array (not one per vector) keeps a scan sequential
 * in memory, which is what bounds its speed.
 *
 * <p>Not thread-safe; {@link FlatVectorIndex} guards it with a read-write lock.
 */
final class VectorStore {
  private static final int INITIAL_ROWS = 64;

  private final int dimensions;
  private float[] data;
  private int rows;

  VectorStore(int dimensions) {
    this.dimensions = dimensions;
    this.data = new float[Math.multiplyExact(dimensions, INITIAL_ROWS)];
  }

  private VectorStore(int dimensions, float[] data, int rows) {
    this.dimensions = dimensions;
    this.data = data;
    this.rows = rows;
  }

  /**
   * A store over existing rows (from a file).
   *
   * @param dimensions the row length
   * @param data at least {@code rows × dimensions} floats, taken over
   * @param rows the number of rows
   * @return the store
   */
  static VectorStore wrap(int dimensions, float[] data, int rows) {
    return new VectorStore(dimensions, data, rows);
  }

  int rows() {
    return rows;
  }

  int dimensions() {
    return dimensions;
  }

  /**
   * The backing array; rows {@code [0, rows())} are valid. For writing to a file.
   *
   * @return the array, not a copy
   */
  float[] data() {
    return data;
  }

  /**
   * Appends a row.
   *
   * @param vector exactly {@code dimensions} floats
   * @return the new row's number
   */
  int append(float[] vector) {
    long needed = (long) (rows + 1) * dimensions;
    if (needed > VectorIndex.MAX_FLOATS) {
      throw new IllegalStateException(
          "the index is full: "
              + rows
              + " vectors of "
              + dimensions
              + " dimensions is the most one array holds ("
              + VectorIndex.MAX_FLOATS
              + " floats)");
    }
    if (needed > data.length) {
      long grown = Math.max(needed, Math.min((long) data.length * 2, VectorIndex.MAX_FLOATS));
      data = Arrays.copyOf(data, (int) grown);
    }
    System.arraycopy(vector, 0, data, rows * dimensions, dimensions);
    return rows++;
  }

  /**
   * Removes a row by moving the last row into its place.
   *
   * @param row the row to remove
   * @return the number of the row that moved into {@code row}, or -1 when {@code row} was the last
   */
  int removeByMovingLast(int row) {
    int last = rows - 1;
    rows--;
    if (row == last) {
      return -1;
    }
    System.arraycopy(data, last * dimensions, data, row * dimensions, dimensions);
    return last;
  }

  /**
   * A copy of one row.
   *
   * @param row the row
   * @return its floats
   */
  float[] row(int row) {
    int from = row * dimensions;
    return Arrays.copyOfRange(data, from, from + dimensions);
  }

  /**
   * Offers the dot product of {@code query} with each row of {@code [from, to)} to {@code top}.
   *
   * @param query {@code dimensions} floats
   * @param from first row
   * @param to row after the last
   * @param top receives (score, row)
   */
  void scan(float[] query, int from, int to, TopK top) {
    float[] d = data;
    int dims = dimensions;
    float threshold = top.threshold();
    for (int r = from, base = from * dims; r < to; r++, base += dims) {
      float score = dot(d, base, query, dims);
      if (score >= threshold) {
        top.offer(score, r);
        threshold = top.threshold();
      }
    }
  }

  /**
   * A dot product with four independent accumulators, so that the CPU overlaps the additions
   * instead of waiting on one long dependency chain.
   */
  static float dot(float[] d, int base, float[] q, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (int end = n - 3; i < end; i += 4) {
      s0 += d[base + i] * q[i];
      s1 += d[base + i + 1] * q[i + 1];
      s2 += d[base + i + 2] * q[i + 2];
      s3 += d[base + i + 3] * q[i + 3];
    }
    for (; i < n; i++) {
      s0 += d[base + i] * q[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}

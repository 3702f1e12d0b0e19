package io.batchwise.internal.index;

/**
 * The best {@code k} (score, row) pairs offered, kept in a bounded min-heap of primitives so that a
 * scan over n rows costs O(n log k) and allocates nothing per row. "Better" means a higher score,
 * or an equal score and a lower row, so results do not depend on how a scan was split.
 *
 * <p>Not thread-safe: each scan chunk has its own, merged afterwards.
 */
final class TopK {
  private final int k;
  private final float[] scores;
  private final int[] rows;
  private int size;

  /**
   * An empty selection.
   *
   * @param k how many to keep, at least 1
   */
  TopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k was " + k + "; it must be at least 1");
    }
    this.k = k;
    this.scores = new float[k];
    this.rows = new int[k];
  }

  /**
   * The lowest score kept when full: a row scoring below it cannot enter.
   *
   * @return the threshold, or negative infinity while not full
   */
  float threshold() {
    return size < k ? Float.NEGATIVE_INFINITY : scores[0];
  }

  /**
   * Offers a candidate.
   *
   * @param score its score
   * @param row its row
   */
  void offer(float score, int row) {
    if (size < k) {
      scores[size] = score;
      rows[size] = row;
      siftUp(size++);
    } else if (worse(scores[0], rows[0], score, row)) {
      scores[0] = score;
      rows[0] = row;
      siftDown(0);
    }
  }

  /**
   * Offers every candidate another selection holds.
   *
   * @param other another selection
   */
  void addAll(TopK other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.scores[i], other.rows[i]);
    }
  }

  /**
   * The number of candidates kept.
   *
   * @return at most k
   */
  int size() {
    return size;
  }

  /**
   * The kept rows, best first; the selection is emptied.
   *
   * @param scoresOut receives each row's score at the same position; at least {@link #size()} long
   * @return the rows, best first
   */
  int[] drainBestFirst(float[] scoresOut) {
    int n = size;
    int[] out = new int[n];
    for (int i = n - 1; i >= 0; i--) {
      // the root is the worst kept; removing it repeatedly yields worst to best
      out[i] = rows[0];
      scoresOut[i] = scores[0];
      size--;
      if (size > 0) {
        scores[0] = scores[size];
        rows[0] = rows[size];
        siftDown(0);
      }
    }
    return out;
  }

  /** Whether (s1, r1) ranks below (s2, r2). */
  private static boolean worse(float s1, int r1, float s2, int r2) {
    return s1 < s2 || (s1 == s2 && r1 > r2);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(scores[i], rows[i], scores[parent], rows[parent])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int right = left + 1;
      int worst =
          right < size && worse(scores[right], rows[right], scores[left], rows[left])
              ? right
              : left;
      if (!worse(scores[worst], rows[worst], scores[i], rows[i])) {
        return;
      }
      swap(i, worst);
      i = worst;
    }
  }

  private void swap(int a, int b) {
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int r = rows[a];
    rows[a] = rows[b];
    rows[b] = r;
  }
}

package io.batchwise.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TopKTest {

  @Test
  @DisplayName("keeps exactly the k best of many offers, best first, ties to the lower row")
  void keepsTheBest() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(300);
      int k = 1 + random.nextInt(20);
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(40) / 10f; // many ties on purpose
      }
      TopK top = new TopK(k);
      for (int i = 0; i < n; i++) {
        top.offer(scores[i], i);
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        expected.add(i);
      }
      expected.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
      float[] got = new float[k];
      int[] rows = top.drainBestFirst(got);
      assertThat(rows)
          .containsExactly(expected.subList(0, Math.min(k, n)).stream().mapToInt(i -> i).toArray());
      for (int i = 0; i < rows.length; i++) {
        assertThat(got[i]).isEqualTo(scores[rows[i]]);
      }
    }
  }

  @Test
  @DisplayName("merging split selections gives the same answer as one selection")
  void mergeIsSplitIndependent() {
    Random random = new Random(11);
    float[] scores = new float[1000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextInt(100);
    }
    TopK whole = new TopK(10);
    TopK a = new TopK(10);
    TopK b = new TopK(10);
    for (int i = 0; i < scores.length; i++) {
      whole.offer(scores[i], i);
      (i < 600 ? a : b).offer(scores[i], i);
    }
    TopK merged = new TopK(10);
    merged.addAll(b);
    merged.addAll(a);
    assertThat(merged.drainBestFirst(new float[10]))
        .containsExactly(whole.drainBestFirst(new float[10]));
  }

  @Test
  @DisplayName("k below 1 is refused")
  void kAtLeastOne() {
    assertThatThrownBy(() -> new TopK(0)).hasMessageContaining("k was 0");
  }
}

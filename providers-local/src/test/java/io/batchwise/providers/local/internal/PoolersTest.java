package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.providers.local.Pooling;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Pooling on hand-made token vectors: batch 2, padded length 3, 2 dims. */
class PoolersTest {
  // row 0: three real tokens; row 1: one real token and two padding positions full of large values
  private final FloatBuffer hidden =
      FloatBuffer.wrap(
          new float[] {
            1, 2, 3, 4, 5, 6,
            4, 0, 100, 100, -100, 100
          });

  @Test
  void meanPoolingAveragesOnlyTheRealTokens() {
    float[][] v = Poolers.pool(hidden, 2, 3, 2, new int[] {3, 1}, Pooling.MEAN, false);
    assertThat(v[0]).containsExactly(3f, 4f);
    assertThat(v[1]).containsExactly(4f, 0f); // the padding's 100s do not count
  }

  @Test
  void clsPoolingTakesTheFirstToken() {
    float[][] v = Poolers.pool(hidden, 2, 3, 2, new int[] {3, 1}, Pooling.CLS, false);
    assertThat(v[0]).containsExactly(1f, 2f);
    assertThat(v[1]).containsExactly(4f, 0f);
  }

  @Test
  void normalizationGivesUnitLength() {
    float[][] v = Poolers.pool(hidden, 2, 3, 2, new int[] {3, 1}, Pooling.MEAN, true);
    assertThat(v[0][0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(v[0][1]).isCloseTo(0.8f, within(1e-6f));
    assertThat(v[1]).containsExactly(1f, 0f);
  }

  @Test
  void aZeroVectorStaysZeroInsteadOfTurningIntoNaN() {
    assertThat(Poolers.normalized(new float[] {0, 0, 0})).containsExactly(0f, 0f, 0f);
  }

  @Test
  void alreadyPooledOutputsAreSplitIntoRows() {
    float[][] v = Poolers.rows(FloatBuffer.wrap(new float[] {3, 4, 0, 2}), 2, 2, true);
    assertThat(v[0][0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(v[1]).containsExactly(0f, 1f);
  }
}

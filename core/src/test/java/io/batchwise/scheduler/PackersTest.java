package io.batchwise.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PackersTest {

  @Test
  @DisplayName("singleCall packs in input order up to both limits")
  void singleCall() {
    List<int[]> calls = Packers.singleCall(new int[] {5, 5, 5, 9, 1}, 3, 12);
    assertThat(calls).containsExactly(new int[] {0, 1}, new int[] {2}, new int[] {3, 4});
  }

  @Test
  @DisplayName(
      "parallelGather sorts by length, keeps rows × longest row within the budget, heaviest first")
  void parallelGather() {
    List<int[]> calls = Packers.parallelGather(new int[] {8, 1, 8, 2}, 4, ModelInfo.NO_LIMIT, 16);
    assertThat(calls).containsExactly(new int[] {0, 2}, new int[] {1, 3});
    assertThatThrownBy(() -> Packers.parallelGather(new int[] {17}, 4, ModelInfo.NO_LIMIT, 16))
        .hasMessageContaining("text 0 has 17 tokens");
  }

  @Test
  @DisplayName("parallelGather also keeps each micro-batch's summed tokens within the call limit")
  void parallelGatherKeepsTheSummedLimit() {
    // within the budget of 16 positions, [8, 8] would be one micro-batch; 16 summed tokens are over
    // 9
    List<int[]> calls = Packers.parallelGather(new int[] {8, 1, 8, 2}, 4, 9, 16);
    assertThat(calls).containsExactly(new int[] {0}, new int[] {2}, new int[] {1, 3});
    assertThatThrownBy(() -> Packers.parallelGather(new int[] {10}, 4, 9, 16))
        .hasMessageContaining("text 0 has 10 tokens")
        .hasMessageContaining("call limit 9");
  }
}

package io.batchwise.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelInfoTest {

  @Test
  @DisplayName(
      "the summed-token limit of a call and the micro-batch budget are two limits, each at least one input's")
  void twoTokenLimits() {
    ModelInfo remote = new ModelInfo("m", 8, true, 2048, 8191, 300_000, ModelInfo.NO_LIMIT);
    assertThat(remote.maxTokensPerCall()).isEqualTo(300_000);
    assertThat(remote.microBatchTokenBudget()).isEqualTo(ModelInfo.NO_LIMIT);
    ModelInfo local = new ModelInfo("m", 8, true, 512, 256, ModelInfo.NO_LIMIT, 512);
    assertThat(local.withLimits(64, 128, 1000, 512))
        .isEqualTo(new ModelInfo("m", 8, true, 64, 128, 1000, 512));
    assertThatThrownBy(() -> new ModelInfo("m", 8, true, 512, 256, 255, 512))
        .hasMessage("maxTokensPerCall was 255; it must be at least 256");
    assertThatThrownBy(() -> new ModelInfo("m", 8, true, 512, 256, ModelInfo.NO_LIMIT, 255))
        .hasMessage("microBatchTokenBudget was 255; it must be at least 256");
  }
}

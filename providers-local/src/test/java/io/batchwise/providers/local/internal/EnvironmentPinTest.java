package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The environment is pinned past ONNX Runtime's own shutdown hook with this version of the binding:
 * an upgrade that renames what the pin calls fails here, not as a crash on Ctrl-C (which {@code
 * LocalInterruptIT} in the examples shows on a real process).
 */
class EnvironmentPinTest {

  @Test
  @DisplayName(
      "the shared ONNX Runtime environment takes the extra reference that outlives the binding's shutdown hook")
  void theEnvironmentIsPinned() {
    OnnxModel.environment();
    assertThat(EnvironmentPin.pinned()).isTrue();
    assertThat(EnvironmentPin.pin(OnnxModel.environment())).as("idempotent").isTrue();
  }
}

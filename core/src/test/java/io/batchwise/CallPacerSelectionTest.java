package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.config.ConfigurationException;
import io.batchwise.internal.scheduler.PerMinutePacer;
import io.batchwise.testing.RecordingPacerFactory;
import io.batchwise.testing.RecordingPacerFactory.Recording;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code pacer} option chooses what holds the instance's per-minute limits. */
class CallPacerSelectionTest {

  @BeforeEach
  void forget() {
    RecordingPacerFactory.CREATED.clear();
  }

  @Test
  @DisplayName("by default the limits are held in this process")
  void localByDefault() {
    try (Batchwise bw = Batchwise.builder().provider("fake").build()) {
      assertThat(bw.callLimits().pacer()).isInstanceOf(PerMinutePacer.class);
    }
  }

  @Test
  @DisplayName(
      "a pacer chosen by id gets the provider's budget, paces the embeds and is closed with the instance")
  void chosenById() {
    Recording pacer;
    try (Batchwise bw =
        Batchwise.builder()
            .provider("fake")
            .option("pacer", "recording")
            .option("requests-per-minute", "600")
            .option("tokens-per-minute", "90000")
            .build()) {
      bw.embedder().embedAll(List.of("one two", "three"));
      assertThat(RecordingPacerFactory.CREATED).hasSize(1);
      pacer = RecordingPacerFactory.CREATED.get(0);
      assertThat(bw.callLimits().pacer()).isSameAs(pacer);
      assertThat(pacer.budget.name()).isEqualTo("fake:fake-model");
      assertThat(pacer.budget.requestsPerMinute()).isEqualTo(600);
      assertThat(pacer.budget.tokensPerMinute()).isEqualTo(90000);
      assertThat(pacer.reservations).as("every provider call reserved").isNotEmpty();
      assertThat(pacer.closed).hasValue(0);
    }
    assertThat(pacer.closed).hasValue(1);
  }

  @Test
  @DisplayName("an unknown pacer id fails at build(), listing the pacers found")
  void unknownId() {
    assertThatThrownBy(() -> Batchwise.builder().provider("fake").option("pacer", "nosuch").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no CallPacerFactory with the id 'nosuch'")
        .hasMessageContaining("local, recording");
  }

  @Test
  @DisplayName("a pacer's option while another pacer is selected fails at build(), naming both")
  void optionOfAnotherPacer() {
    assertThatThrownBy(
            () -> Batchwise.builder().provider("fake").option("recording.wait", "1ms").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'recording.wait' is an option of pacer 'recording'")
        .hasMessageContaining("the selected pacer is 'local'");
  }
}

package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.scheduler.Packers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class InOrderPackingTest {

  @RepeatedTest(200)
  @DisplayName(
      "never exceeds max inputs or max tokens, keeps every text once and in order, and fills calls greedily")
  void respectsLimitsForRandomSizes(org.junit.jupiter.api.RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    int maxInputs = 1 + random.nextInt(50);
    int maxTokens = 1 + random.nextInt(2000);
    int[] tokens = new int[random.nextInt(3000)];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = random.nextInt(maxTokens + 1);
    }
    List<int[]> calls = Packers.singleCall(tokens, maxInputs, maxTokens);
    int expectedNext = 0;
    for (int c = 0; c < calls.size(); c++) {
      int[] call = calls.get(c);
      assertThat(call.length).isBetween(1, maxInputs);
      long sum = 0;
      for (int pos : call) {
        assertThat(pos).isEqualTo(expectedNext++);
        sum += tokens[pos];
      }
      assertThat(sum).isLessThanOrEqualTo(maxTokens);
      if (c + 1 < calls.size()) {
        // greedy: the next call's first text did not fit into this one
        int nextFirst = calls.get(c + 1)[0];
        assertThat(call.length == maxInputs || sum + tokens[nextFirst] > maxTokens).isTrue();
      }
    }
    assertThat(expectedNext).isEqualTo(tokens.length);
  }

  @Test
  @DisplayName("packs nothing for no texts")
  void emptyInput() {
    assertThat(Packers.singleCall(new int[0], 4, 10)).isEmpty();
  }

  @Test
  @DisplayName("refuses a text over the call's token limit, naming it")
  void refusesOversizeText() {
    assertThatThrownBy(() -> Packers.singleCall(new int[] {3, 11}, 4, 10))
        .hasMessageContaining("text 1 has 11 tokens")
        .hasMessageContaining("10");
  }
}

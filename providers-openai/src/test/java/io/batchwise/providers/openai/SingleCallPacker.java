package io.batchwise.providers.openai;

import io.batchwise.spi.ModelInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs inputs into calls as the core pipeline's {@code SINGLE_CALL} strategy does: in input order,
 * a new call whenever the next input would break {@link ModelInfo#maxInputsPerCall()} or {@link
 * ModelInfo#maxTokensPerCall()}. Greedy packing in order gives the fewest calls any order-keeping
 * packing can. Inputs over {@link ModelInfo#maxTokensPerInput()} are left out (the FAIL policy
 * fails them alone). Used until the pipeline is on main.
 */
final class SingleCallPacker {
  private SingleCallPacker() {}

  /** One call: the indexes of its inputs in the original list, and its token total. */
  record Pack(List<Integer> indexes, long tokens) {}

  static List<Pack> pack(int[] tokenCounts, ModelInfo limits) {
    List<Pack> packs = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < tokenCounts.length; i++) {
      int t = tokenCounts[i];
      if (t > limits.maxTokensPerInput()) {
        continue;
      }
      if (!current.isEmpty()
          && (current.size() == limits.maxInputsPerCall()
              || tokens + t > limits.maxTokensPerCall())) {
        packs.add(new Pack(List.copyOf(current), tokens));
        current.clear();
        tokens = 0;
      }
      current.add(i);
      tokens += t;
    }
    if (!current.isEmpty()) {
      packs.add(new Pack(List.copyOf(current), tokens));
    }
    return packs;
  }
}

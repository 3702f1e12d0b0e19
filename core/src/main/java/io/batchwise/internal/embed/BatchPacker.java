package io.batchwise.internal.embed;

import java.util.List;

/**
 * Cuts texts into provider calls that never exceed a provider's limits. One implementation per
 * {@link io.batchwise.spi.BatchStrategy}.
 */
interface BatchPacker {

  /**
   * Packs texts into calls.
   *
   * @param tokens each text's token count, every one within the per-input limit
   * @return calls, each a list of positions into {@code tokens}; every position appears exactly once
   */
  List<int[]> pack(int[] tokens);
}

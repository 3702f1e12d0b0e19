package io.batchwise.scheduler;

/** What a job does with an item whose tokens exceed the context window. */
public enum OversizePolicy {
  /** The item fails alone with a message naming its index, its tokens and the window. */
  FAIL,
  /**
   * The item is split by the job's splitter and its pieces are packed and processed as separate
   * items: each piece gets its own {@link ItemResult}, all carrying the item's index, next to each
   * other in the job's results. A piece still over the window fails alone.
   */
  SPLIT
}

package io.batchwise.scheduler;

/** What a job does with an item whose tokens exceed the context window. */
public enum OversizePolicy {
  /** The item fails alone with a message naming its index, its tokens and the window. */
  FAIL,
  /** The item is split by the job's splitter and its pieces are processed as separate items of one result. */
  SPLIT
}

package io.batchwise.providers.openai.internal;

/**
 * What one request did for one of its items: an accepted answer, or why the item must be asked
 * again.
 */
sealed interface ItemOutcome {

  /**
   * The item's answer, checked against the schema.
   *
   * @param json the answer as compact JSON text
   * @param tokens its tokens, for the estimate of later answers
   */
  record Answered(String json, int tokens) implements ItemOutcome {}

  /**
   * The item got no acceptable answer from this request.
   *
   * @param problem why, for the item's error should it fail for good
   * @param cutOff the reply stopped at its token limit before the answer: predict more tokens next
   *     time
   * @param splitTo the most items to ask it with next time (the server refused the request as too
   *     long for the model), -1 when it was refused alone (it cannot fit), or 0 to leave that to
   *     the mapper
   */
  record Retry(String problem, boolean cutOff, int splitTo) implements ItemOutcome {}
}

package io.batchwise.providers.openai.internal;

/**
 * One distinct item of a mapper run on its way to the model, measured once: its id in the prompt
 * (its position among the run's distinct items, so an answer is mapped back by it), its text, and
 * the tokens it costs a request. Immutable; a new one is made for each time it is asked again.
 *
 * @param id its id in the prompt and in the reply
 * @param text the item
 * @param promptTokens tokens of its line in the prompt
 * @param envelopeTokens tokens of its answer's entry in the reply, the answer itself left out
 * @param answerTokens tokens predicted for its answer
 * @param attempt how many times it was asked before, from 0
 * @param maxBatch the most items it may share a request with (itself included)
 * @param lastProblem why its last answer was not accepted, or null
 */
record ChatItem(
    long id,
    String text,
    int promptTokens,
    int envelopeTokens,
    int answerTokens,
    int attempt,
    int maxBatch,
    String lastProblem) {

  /**
   * What it costs a request: its line, its answer's entry and the predicted answer. The scheduler
   * packs by it, and it is what the tokens-per-minute limit reserves.
   *
   * @return the tokens
   */
  long cost() {
    return (long) promptTokens + envelopeTokens + answerTokens;
  }

  /**
   * @return the tokens of its answer in the reply, entry included
   */
  long replyTokens() {
    return (long) envelopeTokens + answerTokens;
  }

  /**
   * The same item, to be asked again.
   *
   * @param problem why its answer was not accepted
   * @param answerTokens the tokens to predict for its answer next time
   * @param maxBatch the most items to ask it with next time
   * @return the next attempt
   */
  ChatItem again(String problem, int answerTokens, int maxBatch) {
    return new ChatItem(
        id, text, promptTokens, envelopeTokens, answerTokens, attempt + 1, maxBatch, problem);
  }
}

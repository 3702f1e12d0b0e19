package io.batchwise.map;

/**
 * What a {@link Mapper#mapAll} would do, worked out without calling the model ({@link
 * Mapper#plan}). Immutable.
 *
 * @param model the model the items would go to
 * @param items items given
 * @param uniqueItems distinct valid items among them
 * @param cacheHits distinct items the cache would answer
 * @param invalid items that would fail before they are sent (null, empty, whitespace only)
 * @param oversize distinct items that would fail alone because they do not fit the model's context
 *     window with the instruction and their predicted answer
 * @param calls requests that would be sent, packed as the run packs them (before any retry)
 * @param promptTokens prompt tokens those requests would carry, counted with the model's tokenizer
 * @param predictedCompletionTokens answer tokens predicted for them (what each request's {@code
 *     max_tokens} allows)
 * @param costUsd the cost of the prompt tokens and the predicted answer tokens at the model's list
 *     price, an upper bound; {@link Double#NaN} when the price of the model is not known
 */
public record MapPlan(
    String model,
    long items,
    long uniqueItems,
    long cacheHits,
    long invalid,
    long oversize,
    long calls,
    long promptTokens,
    long predictedCompletionTokens,
    double costUsd) {}

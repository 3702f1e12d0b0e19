package io.batchwise.spi;

/**
 * What the embed pipeline does with an input longer than {@link ModelInfo#maxTokensPerInput()}.
 *
 * <p>Each provider declares its default ({@link EmbeddingProvider#defaultLimitPolicy()}); users may
 * override it with the {@code limit-policy} option. Whatever the policy, nothing is silent: a
 * failure names the input's index and the limit, and a truncation is reported in that input's
 * status and counted in the usage.
 */
public enum LimitPolicy {
  /** The input fails alone with a message naming its index, its token count and the limit. */
  FAIL,
  /** The input is cut to the limit with the provider's tokenizer and marked truncated. */
  TRUNCATE
}

package io.batchwise.internal.embed;

import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Counts each distinct text's tokens with the provider's tokenizer, on the CPU pool in parallel
 * chunks, and applies the per-input limit through {@link Tokenizer#fit}: {@code FAIL} fails the
 * text (naming its first index, its count and the limit); {@code TRUNCATE} cuts it to the limit and
 * marks it truncated. The built-in tokenizers read an input over the limit only as far as its kept
 * tokens need, so the cost of a huge input follows the limit, not its length, and its count may
 * then be known only to exceed the limit.
 *
 * <p>Its value for a text is recorded in the text once, whichever path counts it first (a stage
 * before the cache lookup, or the scheduler reading ahead of packing): the tokenizer's {@link
 * TokenFit} when the text can be sent (what it is sent as, its tokens, whether it was cut), else
 * the reason it cannot be sent.
 */
final class TokenLimitStage {
  /** Texts per counting task: big enough to amortize a task, small enough to use every core. */
  static final int CHUNK = 256;

  private final Tokenizer tokenizer;
  private final int maxTokensPerInput;
  private final LimitPolicy policy;
  private final Executor cpu;

  TokenLimitStage(Tokenizer tokenizer, int maxTokensPerInput, LimitPolicy policy, Executor cpu) {
    this.tokenizer = tokenizer;
    this.maxTokensPerInput = maxTokensPerInput;
    this.policy = policy;
    this.cpu = cpu;
  }

  /**
   * Counts and limits.
   *
   * @param texts the cache misses, not yet counted
   * @return the texts that may be sent, each with its fit
   */
  CompletableFuture<List<PendingText>> apply(List<PendingText> texts) {
    List<CompletableFuture<Void>> chunks = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += CHUNK) {
      List<PendingText> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
      chunks.add(CompletableFuture.runAsync(() -> chunk.forEach(this::limit), cpu));
    }
    return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<PendingText> sendable = new ArrayList<>(texts.size());
              for (PendingText p : texts) {
                if (p.invalidReason() == null) {
                  sendable.add(p);
                }
              }
              return sendable;
            });
  }

  /**
   * The tokens of a text as it will be sent, counting and limiting it first if no stage has: the
   * scheduler's token counter for the embed's job, which counts the texts it reads ahead of
   * packing.
   *
   * @param p the text
   * @return its tokens as sent
   * @throws IllegalArgumentException when the text cannot be sent (it then has its invalid reason)
   */
  long tokensToSend(PendingText p) {
    if (!p.counted()) {
      limit(p);
    }
    String invalid = p.invalidReason();
    if (invalid != null) {
      throw new IllegalArgumentException(invalid);
    }
    return p.tokens();
  }

  /**
   * Counts and limits one text on the calling thread, and records the outcome in it.
   *
   * @param p the text, not yet counted; afterwards it has its fit, or why it cannot be sent
   */
  void limit(PendingText p) {
    TokenFit fit;
    boolean cut;
    try {
      fit = tokenizer.fit(p.text, maxTokensPerInput);
      cut = fit.truncated(); // a tokenizer that returns no fit failed too
    } catch (RuntimeException e) {
      p.rejected("could not be tokenized by " + tokenizer.name() + ": " + e.getMessage(), false);
      return;
    }
    if (!cut) {
      p.fitted(fit);
    } else if (policy == LimitPolicy.FAIL) {
      // a long input is counted only until it is certainly over the limit, hence "more than N"
      p.rejected(
          "has "
              + fit.describeInputTokens()
              + "; the limit is "
              + maxTokensPerInput
              + " tokens per input (limit-policy FAIL; set limit-policy=truncate to cut it"
              + " instead)",
          false);
    } else if (fit.tokens() > maxTokensPerInput) {
      p.rejected(
          "was truncated by tokenizer "
              + tokenizer.name()
              + " to "
              + fit.tokens()
              + " tokens, still over the limit "
              + maxTokensPerInput,
          true);
    } else {
      p.fitted(fit);
    }
  }
}

package io.batchwise.providers.openai.internal;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code openai} provider as a Batch API job's embed pipeline sees it: the same id, model,
 * limits, identity (so the cache keys are the synchronous path's) and tokenizer, but no HTTP.
 * Collecting, it records each call the pipeline packs whose texts no batch of the job carries, and
 * fails every call (nothing is stored); answering, it answers each call from the job's downloaded
 * files, or fails it with the reason its request failed. Thread-safe.
 */
final class BatchReplayProvider implements EmbeddingProvider {
  /** What a collecting pass fails its calls with: the texts are to be sent in a batch. */
  static final String COLLECTED = "collected for a Batch API request";

  private final OpenAiEmbeddingProvider real;
  private final BatchAnswers answers;
  private final List<List<String>> collected; // null when answering
  private final boolean cancelled;

  private BatchReplayProvider(
      OpenAiEmbeddingProvider real,
      BatchAnswers answers,
      List<List<String>> collected,
      boolean cancelled) {
    this.real = real;
    this.answers = answers;
    this.collected = collected;
    this.cancelled = cancelled;
  }

  /**
   * A provider that records the calls of texts no batch carries yet (or whose batch expired before
   * running them) into {@code collected}, and fails every call.
   */
  static BatchReplayProvider collecting(
      OpenAiEmbeddingProvider real, BatchAnswers answers, List<List<String>> collected) {
    return new BatchReplayProvider(real, answers, collected, false);
  }

  /** A provider that answers from the job's files. */
  static BatchReplayProvider answering(
      OpenAiEmbeddingProvider real, BatchAnswers answers, boolean cancelled) {
    return new BatchReplayProvider(real, answers, null, cancelled);
  }

  @Override
  public String id() {
    return real.id();
  }

  @Override
  public ModelInfo modelInfo() {
    return real.modelInfo();
  }

  @Override
  public VectorIdentity identity() {
    return real.identity();
  }

  @Override
  public Tokenizer tokenizer() {
    return real.tokenizer();
  }

  @Override
  public BatchStrategy batchStrategy() {
    return real.batchStrategy();
  }

  @Override
  public LimitPolicy defaultLimitPolicy() {
    return real.defaultLimitPolicy();
  }

  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    if (collected != null) {
      List<String> unsent = new ArrayList<>();
      for (String t : texts) {
        BatchAnswers.Outcome o = answers.outcome(t);
        if (o == null || o instanceof BatchAnswers.Resubmit) {
          unsent.add(t);
        }
      }
      if (!unsent.isEmpty()) {
        synchronized (collected) {
          collected.add(unsent);
        }
      }
      return CompletableFuture.failedFuture(CallFailedException.permanent(COLLECTED, null));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (String t : texts) {
      BatchAnswers.Outcome o = answers.outcome(t);
      try {
        if (o instanceof BatchAnswers.Answered) {
          vectors.add(answers.vector(t));
        } else {
          return CompletableFuture.failedFuture(CallFailedException.permanent(reason(o), null));
        }
      } catch (InvalidResponseException | IOException e) {
        return CompletableFuture.failedFuture(
            CallFailedException.permanent(
                "the Batch API's answer was refused: " + e.getMessage(), e));
      }
    }
    return CompletableFuture.completedFuture(vectors);
  }

  private String reason(BatchAnswers.Outcome o) {
    if (o instanceof BatchAnswers.Failed f) {
      return f.reason();
    }
    if (o instanceof BatchAnswers.Resubmit r) {
      return r.reason();
    }
    String job = cancelled ? "the batch job was cancelled" : "the batch job ended";
    if (o instanceof BatchAnswers.Pending p) {
      return job + " before this input was answered (" + p.why() + ")";
    }
    return job + " before this input was sent in a batch";
  }

  @Override
  public String toString() {
    return "BatchReplayProvider{"
        + (collected != null ? "collecting" : "answering")
        + ", "
        + real
        + "}";
  }
}

package io.batchwise.langchain4j;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.batchwise.spi.CallFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Classifies what a LangChain4j model threw for the scheduler, which alone retries. LangChain4j's
 * own hierarchy says most of it: its models map HTTP statuses to {@code RateLimitException}, {@code
 * TimeoutException}, {@code InternalServerException} (retriable) and {@code
 * AuthenticationException}, {@code InvalidRequestException}, {@code ModelNotFoundException} (not).
 * A bare {@code HttpException} is judged by its status; an I/O failure may pass; anything else — a
 * bug, a bad argument, an in-process model's error — would fail again the same way.
 */
final class LangChain4jFailures {
  private LangChain4jFailures() {}

  static CallFailedException classify(EmbeddingModel model, RuntimeException e) {
    String message =
        "LangChain4j model "
            + model.getClass().getSimpleName()
            + " failed: "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (e instanceof RateLimitException) {
      return new CallFailedException(message, e, true, null, true);
    }
    if (e instanceof RetriableException) {
      return CallFailedException.retryable(message, e, null);
    }
    if (e instanceof NonRetriableException) {
      return CallFailedException.permanent(message, e);
    }
    Throwable http = find(e, HttpException.class);
    if (http != null) {
      int status = ((HttpException) http).statusCode();
      boolean retryable = status == 408 || status == 429 || status >= 500;
      return new CallFailedException(message, e, retryable, null, status == 429);
    }
    if (find(e, UncheckedIOException.class) != null || find(e, IOException.class) != null) {
      return CallFailedException.retryable(message, e, null);
    }
    return CallFailedException.permanent(message, e);
  }

  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }
}

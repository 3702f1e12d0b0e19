package io.batchwise.internal.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a future's failure was, without the wrappers the future machinery adds. */
public final class Failures {
  private Failures() {}

  /**
   * The failure inside {@link CompletionException} and {@link ExecutionException} wrappers.
   *
   * @param e a future's failure
   * @return the innermost failure those wrappers hold, or {@code e}
   */
  public static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

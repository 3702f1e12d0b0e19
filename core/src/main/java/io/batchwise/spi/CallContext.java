package io.batchwise.spi;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * What one provider call carries beside its texts ({@link EmbeddingProvider#embed}): the
 * {@linkplain #inputType() input type} the texts are embedded as, a way to report that the service
 * has {@linkplain #answered() answered}, and whether the call has been {@linkplain #isCancelled()
 * cancelled}.
 *
 * <p>The embed pipeline makes one per call attempt; {@link #of(InputType)} makes one for direct use
 * and tests. Immutable and thread-safe: a provider may use it from any thread.
 *
 * <pre>{@code
 * List<float[]> docs = provider.embed(texts, CallContext.of(InputType.DOCUMENT)).join();
 * List<float[]> query = provider.embed(List.of("cats"), CallContext.of(InputType.QUERY)).join();
 * }</pre>
 */
public final class CallContext {
  private static final Runnable NOBODY_LISTENS = () -> {};
  private static final BooleanSupplier NEVER = () -> false;

  private final InputType inputType;
  private final Runnable onAnswered;
  private final BooleanSupplier cancelled;

  private CallContext(InputType inputType, Runnable onAnswered, BooleanSupplier cancelled) {
    this.inputType = Objects.requireNonNull(inputType, "inputType");
    this.onAnswered = Objects.requireNonNull(onAnswered, "onAnswered");
    this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
  }

  /**
   * A context for a call made directly: nobody listens for {@link #answered()}, and it is never
   * cancelled (cancel the returned future instead).
   *
   * @param inputType what the texts are embedded as
   * @return the context
   */
  public static CallContext of(InputType inputType) {
    return new CallContext(inputType, NOBODY_LISTENS, NEVER);
  }

  /**
   * A context that reports to {@code onAnswered} and asks {@code cancelled}.
   *
   * @param inputType what the texts are embedded as
   * @param onAnswered run by {@link #answered()}; quick, must not throw, and harmless when run more
   *     than once
   * @param cancelled read by {@link #isCancelled()}; quick, thread-safe, and once true stays true
   * @return the context
   */
  public static CallContext of(
      InputType inputType, Runnable onAnswered, BooleanSupplier cancelled) {
    return new CallContext(inputType, onAnswered, cancelled);
  }

  /**
   * What the call's texts are embedded as: a provider whose model takes a query or document prefix
   * (or a service that takes the type as a parameter) applies the one of this type to every text.
   *
   * @return the input type
   */
  public InputType inputType() {
    return inputType;
  }

  /**
   * Reports that the service has answered this call successfully and what is left is local work
   * (reading and decoding the answer). A remote provider calls it when the answer's status and
   * headers are in: the scheduler then starts the next call in this call's concurrency slot instead
   * of leaving the service idle while a large answer is parsed. Report it only for an answer the
   * provider goes on to read (a failed status need not be reported): should reading it fail after
   * all, the call still fails or is retried as usual, its retry waiting for a free slot. Calling it
   * more than once, or never, is allowed; a provider that never calls it holds its slot until its
   * future completes.
   */
  public void answered() {
    onAnswered.run();
  }

  /**
   * Whether nobody waits for this call's answer any more: it timed out, its job or embed was
   * cancelled, or the instance is closing. A provider checks it before starting expensive work
   * (before sending a request, before running a micro-batch) and then completes its future with a
   * {@link CancellationException} (or a {@link CallFailedException}) instead of doing the work. The
   * pipeline also cancels the future the provider returned, which a provider may watch to stop work
   * already under way (an HTTP request in flight).
   *
   * @return true once the call is cancelled
   */
  public boolean isCancelled() {
    return cancelled.getAsBoolean();
  }

  @Override
  public String toString() {
    return "CallContext{" + inputType.id() + (isCancelled() ? ", cancelled" : "") + "}";
  }
}

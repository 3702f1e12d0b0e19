package io.batchwise.scheduler;

import io.batchwise.spi.CallPacer;
import java.util.Objects;

/**
 * The limits a {@code Batchwise} instance holds for its provider's calls — {@code concurrency} as a
 * shared pool of permits, {@code requests-per-minute} and {@code tokens-per-minute} (and what the
 * service reports) as a shared pacer — so that every embed, stream window and command-line chunk
 * together stays within them. A job of your own that calls the same service opts in with {@link
 * #applyTo(JobOptions.Builder)}.
 *
 * <pre>{@code
 * JobOptions<Doc> options = bw.callLimits().applyTo(JobOptions.<Doc>builder()).build();
 * }</pre>
 *
 * @param permits the concurrency permits
 * @param pacer the per-minute limits, as reservations
 */
public record CallLimits(CallPermits permits, CallPacer pacer) {

  /** Checks the components. */
  public CallLimits {
    Objects.requireNonNull(permits, "permits");
    Objects.requireNonNull(pacer, "pacer");
  }

  /**
   * Makes a job share these limits.
   *
   * @param builder the job's options
   * @param <I> the item type
   * @return the builder, with these permits and this pacer set
   */
  public <I> JobOptions.Builder<I> applyTo(JobOptions.Builder<I> builder) {
    return builder.permits(permits).pacer(pacer);
  }
}

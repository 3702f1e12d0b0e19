package io.batchwise.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;

/**
 * One timer name with an {@code outcome} tag of {@code success} or {@code failure}: what the timing
 * wrappers ({@link TimedFunction}, {@code TimedAgent}) record to. Immutable and thread-safe.
 */
public final class OutcomeTimers {
  private final MeterRegistry registry;
  private final Timer success;
  private final Timer failure;

  private OutcomeTimers(MeterRegistry registry, String name, Tags tags) {
    this.registry = registry;
    this.success =
        Timer.builder(name).tags(tags.and(MeterNames.TAG_OUTCOME, "success")).register(registry);
    this.failure =
        Timer.builder(name).tags(tags.and(MeterNames.TAG_OUTCOME, "failure")).register(registry);
  }

  /**
   * Registers the two timers.
   *
   * @param registry where to record
   * @param name the timer's name
   * @param tags extra tags as key, value pairs
   * @return the timers
   * @throws IllegalArgumentException when the tags are not in pairs
   */
  public static OutcomeTimers of(MeterRegistry registry, String name, String... tags) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException(
          "tags must be key, value pairs; got " + tags.length + " strings");
    }
    return new OutcomeTimers(registry, name, Tags.of(tags));
  }

  /**
   * Starts timing one call.
   *
   * @return the sample to pass to {@link #stop}
   */
  public Timer.Sample start() {
    return Timer.start(registry);
  }

  /**
   * Records a call's time under its outcome.
   *
   * @param sample from {@link #start()}
   * @param succeeded whether the call succeeded
   */
  public void stop(Timer.Sample sample, boolean succeeded) {
    sample.stop(succeeded ? success : failure);
  }

  /**
   * The timers' name.
   *
   * @return the name
   */
  public String name() {
    return success.getId().getName();
  }
}

package io.batchwise.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.function.Function;

/**
 * Times every call of a function into the shared registry: a {@link Timer} named as given, tagged
 * with {@link MeterNames#TAG_OUTCOME} {@code success} or {@code failure} (the function threw),
 * measured with the registry's clock. Results and exceptions pass through unchanged. Thread-safe when
 * the function is.
 *
 * <pre>{@code
 * Function<String, String> clean = TimedFunction.of(Cleaner::clean, batchwise.meterRegistry(), "app.clean");
 * }</pre>
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
public final class TimedFunction<T, R> implements Function<T, R> {
  private final Function<T, R> function;
  private final MeterRegistry registry;
  private final Timer success;
  private final Timer failure;

  private TimedFunction(Function<T, R> function, MeterRegistry registry, String name, Tags tags) {
    this.function = function;
    this.registry = registry;
    this.success = Timer.builder(name).tags(tags.and(MeterNames.TAG_OUTCOME, "success")).register(registry);
    this.failure = Timer.builder(name).tags(tags.and(MeterNames.TAG_OUTCOME, "failure")).register(registry);
  }

  /**
   * Wraps a function.
   *
   * @param function the function to time
   * @param registry where to record
   * @param name the timer's name
   * @param tags extra tags as key, value pairs
   * @param <T> the argument type
   * @param <R> the result type
   * @return the timed function
   * @throws IllegalArgumentException when the tags are not in pairs
   */
  public static <T, R> TimedFunction<T, R> of(
      Function<T, R> function, MeterRegistry registry, String name, String... tags) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key, value pairs; got " + tags.length + " strings");
    }
    return new TimedFunction<>(function, registry, name, Tags.of(tags));
  }

  /**
   * Calls the function and records how long it took.
   *
   * @param t the argument
   * @return the function's result
   */
  @Override
  public R apply(T t) {
    Timer.Sample sample = Timer.start(registry);
    try {
      R r = function.apply(t);
      sample.stop(success);
      return r;
    } catch (RuntimeException | Error e) {
      sample.stop(failure);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TimedFunction{" + success.getId().getName() + "}";
  }
}

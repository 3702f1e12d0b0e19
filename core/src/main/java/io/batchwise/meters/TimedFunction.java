package io.batchwise.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.function.Function;

/**
 * Times every call of a function into the shared registry: a {@link Timer} named as given, tagged
 * with {@link MeterNames#TAG_OUTCOME} {@code success} or {@code failure} (the function threw),
 * measured with the registry's clock. Results and exceptions pass through unchanged. Thread-safe
 * when the function is.
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
  private final OutcomeTimers timers;

  private TimedFunction(Function<T, R> function, OutcomeTimers timers) {
    this.function = function;
    this.timers = timers;
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
    return new TimedFunction<>(function, OutcomeTimers.of(registry, name, tags));
  }

  /**
   * Calls the function and records how long it took.
   *
   * @param t the argument
   * @return the function's result
   */
  @Override
  public R apply(T t) {
    Timer.Sample sample = timers.start();
    try {
      R r = function.apply(t);
      timers.stop(sample, true);
      return r;
    } catch (RuntimeException | Error e) {
      timers.stop(sample, false);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TimedFunction{" + timers.name() + "}";
  }
}

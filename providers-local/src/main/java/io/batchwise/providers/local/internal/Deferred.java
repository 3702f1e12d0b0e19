package io.batchwise.providers.local.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something expensive (an ONNX Runtime session, a tokenizer's native vocabulary), made on the first
 * {@link #get()} that needs it rather than when the provider is created: a run answered entirely
 * from the cache never needs the model, and loading it would be most of that run's time.
 *
 * <p>Made once: callers that ask while it is being made wait for it. A failure is kept and thrown
 * again to every later caller, since loading the same files again would fail the same way.
 * Thread-safe.
 *
 * @param <T> what is made
 */
final class Deferred<T> {
  private final Supplier<T> make;
  private volatile T value;
  private RuntimeException failure;

  /**
   * @param make makes the value; called at most once
   */
  Deferred(Supplier<T> make) {
    this.make = Objects.requireNonNull(make, "make");
  }

  /**
   * The value, made now if nobody made it before.
   *
   * @return the value
   * @throws RuntimeException what making it threw, now or on an earlier call
   */
  T get() {
    T v = value;
    if (v != null) {
      return v;
    }
    synchronized (this) {
      if (value == null) {
        if (failure != null) {
          throw failure;
        }
        try {
          value = Objects.requireNonNull(make.get(), "made nothing");
        } catch (RuntimeException e) {
          failure = e;
          throw e;
        }
      }
      return value;
    }
  }

  /**
   * The value if it has been made, without making it.
   *
   * @return the value, or empty when nobody asked for it yet (or making it failed)
   */
  Optional<T> ifMade() {
    return Optional.ofNullable(value);
  }
}

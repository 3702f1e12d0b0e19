package io.batchwise.testing;

import io.batchwise.config.ConfigOption;
import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.FactoryContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pacer factory, id {@code recording}, whose pacers record the budget they were made with, every
 * reservation, and whether they were closed; it declares one option of its own.
 */
public final class RecordingPacerFactory implements CallPacerFactory {
  /** Its own option. */
  public static final ConfigOption<Duration> WAIT =
      ConfigOption.duration("recording.wait", Duration.ZERO, "the wait every reservation returns")
          .withDefault(Duration.ZERO);

  /** Every pacer it created, in order. */
  public static final List<Recording> CREATED = new CopyOnWriteArrayList<>();

  /** For ServiceLoader. */
  public RecordingPacerFactory() {}

  @Override
  public String id() {
    return "recording";
  }

  @Override
  public List<ConfigOption<?>> options() {
    return List.of(WAIT);
  }

  @Override
  public CallPacer create(FactoryContext context, CallBudget budget) {
    Recording r = new Recording(budget, context.config().get(WAIT));
    CREATED.add(r);
    return r;
  }

  /** A pacer that records. */
  public static final class Recording implements CallPacer, AutoCloseable {
    /** The budget it was made with. */
    public final CallBudget budget;

    /** The tokens of each reservation. */
    public final List<Long> reservations = new CopyOnWriteArrayList<>();

    /** Times closed. */
    public final AtomicInteger closed = new AtomicInteger();

    private final Duration wait;

    Recording(CallBudget budget, Duration wait) {
      this.budget = budget;
      this.wait = wait;
    }

    @Override
    public Duration reserve(long tokens) {
      reservations.add(tokens);
      return wait;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }
}

package io.batchwise.internal.scheduler;

import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.FactoryContext;
import java.util.ServiceLoader;

/**
 * Creates the in-process pacer, id {@value #ID} (the default {@code pacer}): the instance's
 * requests- and tokens-per-minute limits held in a sliding minute in this process ({@link
 * PerMinutePacer}), shared by every embed, stream window and job of the instance. Registered in
 * {@code META-INF/services/io.batchwise.spi.CallPacerFactory}.
 */
public final class LocalPacerFactory implements CallPacerFactory {
  /** This factory's id. */
  public static final String ID = "local";

  /** Creates the factory; {@link ServiceLoader} calls this. */
  public LocalPacerFactory() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CallPacer create(FactoryContext context, CallBudget budget) {
    return new PerMinutePacer(
        budget.requestsPerMinute(), budget.tokensPerMinute(), budget.reported(), System::nanoTime);
  }

  @Override
  public String toString() {
    return "LocalPacerFactory{id=" + ID + "}";
  }
}

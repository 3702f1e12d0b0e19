package io.batchwise.examples;

import io.batchwise.examples.agents.AgentBatch;
import io.batchwise.examples.quickstart.Quickstart;
import io.batchwise.examples.search.SemanticSearch;
import io.batchwise.examples.thirdparty.CustomProviderExample;
import java.util.List;
import java.util.Optional;

/** The example apps, by name. */
public final class Examples {
  private Examples() {}

  /**
   * Every example app, in the order the README presents them.
   *
   * @return the apps
   */
  public static List<ExampleApp> all() {
    return List.of(new Quickstart(), new SemanticSearch(), new AgentBatch(), new CustomProviderExample());
  }

  /**
   * The example with a name.
   *
   * @param name e.g. {@code quickstart}
   * @return the app, or empty
   */
  public static Optional<ExampleApp> named(String name) {
    return all().stream().filter(a -> a.name().equals(name)).findFirst();
  }
}

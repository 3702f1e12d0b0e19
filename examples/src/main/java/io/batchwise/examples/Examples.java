package io.batchwise.examples;

import io.batchwise.examples.agents.AgentBatch;
import io.batchwise.examples.classify.Classify;
import io.batchwise.examples.quickstart.Quickstart;
import io.batchwise.examples.search.SemanticSearch;
import io.batchwise.examples.thirdparty.CustomProviderExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The example apps, by name. */
public final class Examples {
  private Examples() {}

  /**
   * Every example app, in the order the README presents them, then those of other modules on the
   * class path ({@code examples/integrations}, whose frameworks the command line itself does not
   * carry), found through {@code META-INF/services/io.batchwise.examples.ExampleApp}.
   *
   * @return the apps
   */
  public static List<ExampleApp> all() {
    List<ExampleApp> apps =
        new ArrayList<>(
            List.of(
                new Quickstart(),
                new SemanticSearch(),
                new AgentBatch(),
                new CustomProviderExample(),
                new Classify()));
    ServiceLoader.load(ExampleApp.class).forEach(apps::add);
    return List.copyOf(apps);
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

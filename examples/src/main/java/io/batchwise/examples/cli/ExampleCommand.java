package io.batchwise.examples.cli;

import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.Examples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code batchwise example NAME [ARGS...]}: runs an example app. */
@Command(
    name = "example",
    description =
        "Run an example app: quickstart, semantic-search, agent-batch, custom-provider;"
            + " langchain4j, spring-ai and spark-embed from ./batchwise.")
final class ExampleCommand implements Callable<Integer> {
  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "NAME", description = "the example's name")
  String name;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "the example's own arguments")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    ExampleApp app =
        Examples.named(name)
            .orElseThrow(
                () ->
                    CliException.usage(
                        "no example named '"
                            + name
                            + "'; the examples are: "
                            + String.join(
                                ", ", Examples.all().stream().map(ExampleApp::name).toList())));
    try {
      return app.run(args, cli.out(), cli.err());
    } catch (io.batchwise.config.ConfigurationException | IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}

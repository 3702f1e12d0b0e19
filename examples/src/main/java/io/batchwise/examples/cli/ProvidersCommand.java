package io.batchwise.examples.cli;

import io.batchwise.config.ConfigOption;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.TokenizerFactory;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code batchwise providers}: every provider, tokenizer, cache and scheduler on the classpath. */
@Command(
    name = "providers",
    description =
        "List every provider (with its models and options), tokenizer, cache and scheduler on the classpath.")
final class ProvidersCommand implements Callable<Integer> {
  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    PrintStream out = cli.out();
    out.println("Providers (--provider ID)");
    for (EmbeddingProviderFactory f : Discovery.providers()) {
      out.println(
          "  "
              + f.id()
              + (f.models().isEmpty() ? "" : "  models: " + String.join(", ", f.models())));
      options(out, f.options());
    }
    out.println("Tokenizers (batchwise tokens --tokenizer NAME)");
    for (TokenizerFactory f : Discovery.tokenizers()) {
      out.println(
          "  "
              + f.id()
              + (f.names().isEmpty()
                  ? "  (names: open-ended)"
                  : "  " + String.join(", ", f.names())));
    }
    out.println("Caches (--cache ID)");
    for (CacheFactory f : Discovery.caches()) {
      out.println("  " + f.id());
      options(out, f.options());
    }
    out.println("Schedulers (-o scheduler=ID)");
    for (SchedulerFactory f : Discovery.schedulers()) {
      out.println("  " + f.id());
      options(out, f.options());
    }
    return ExitCodes.OK;
  }

  private static void options(PrintStream out, List<ConfigOption<?>> options) {
    for (ConfigOption<?> o : options) {
      out.println(
          "      "
              + o.key()
              + (o.defaultText() != null ? " = " + o.defaultText() : "")
              + (o.secret() ? " (secret)" : "")
              + "  "
              + o.description());
    }
  }
}

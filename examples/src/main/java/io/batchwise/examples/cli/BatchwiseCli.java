package io.batchwise.examples.cli;

import io.batchwise.config.ConfigurationException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code batchwise} command: embed files, build and search vector indexes, count tokens, list
 * what is on the classpath, and run the examples, the benchmarks and the demo.
 *
 * <pre>{@code
 * ./batchwise demo
 * ./batchwise embed --in docs/ --out vectors.jsonl --cache sqlite --report report.json
 * ./batchwise embed --in texts.jsonl --provider openai --dry-run
 * }</pre>
 *
 * <p>Every failure prints one line on stderr and exits with a code from {@link ExitCodes}.
 */
@Command(name = "batchwise", mixinStandardHelpOptions = true, versionProvider = BatchwiseCli.Version.class,
    description = "Batch embedding, vector search and token counting on the Batchwise framework.",
    subcommands = {EmbedCommand.class, IndexCommand.class, SearchCommand.class, TokensCommand.class,
        ProvidersCommand.class, ExampleCommand.class, BenchCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 unexpected failure, 2 usage or configuration, 3 input, 4 output,"
        + " 5 some inputs got no vector."})
public final class BatchwiseCli implements Runnable {
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final ConfigSources sources;

  /**
   * A command bound to the given streams, reading options from the process's system properties and
   * environment.
   *
   * @param in standard input, read by {@code --in -}
   * @param out standard output
   * @param err standard error: progress, reports and error lines
   */
  public BatchwiseCli(InputStream in, PrintStream out, PrintStream err) {
    this(in, out, err, ConfigSources.system());
  }

  BatchwiseCli(InputStream in, PrintStream out, PrintStream err, ConfigSources sources) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.sources = sources;
  }

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err));
  }

  /**
   * Runs the command line in-process.
   *
   * @param args the arguments
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @return the exit code, one of {@link ExitCodes}
   */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return execute(args, in, out, err, ConfigSources.system());
  }

  /**
   * Runs the command line in-process with the given system properties and environment (for tests).
   *
   * @param args the arguments
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param sources where options not on the command line come from
   * @return the exit code, one of {@link ExitCodes}
   */
  static int execute(String[] args, InputStream in, PrintStream out, PrintStream err, ConfigSources sources) {
    CommandLine cmd = new CommandLine(new BatchwiseCli(in, out, err, sources));
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    // everything after an example's name is its own arguments, options included
    cmd.getSubcommands().get("example").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    cmd.setExecutionExceptionHandler((e, command, parsed) -> {
      err.flush();
      if (e instanceof CliException c) {
        err.println(prefix(command) + c.getMessage());
        return c.exitCode();
      }
      if (e instanceof ConfigurationException c) {
        // a configuration error wherever it surfaces; its message names the option, never a secret's value
        err.println(prefix(command) + c.getMessage());
        return ExitCodes.USAGE;
      }
      err.println(prefix(command) + "unexpected failure: " + e);
      return ExitCodes.FAILURE;
    });
    cmd.setParameterExceptionHandler((e, args2) -> {
      CommandLine c = e.getCommandLine();
      err.println(prefix(c) + e.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
      return ExitCodes.USAGE;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  /** Without a subcommand: prints the usage. */
  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  InputStream in() {
    return in;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  ConfigSources sources() {
    return sources;
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BatchwiseCli.class.getPackage().getImplementationVersion();
      return new String[] {"batchwise " + (v != null ? v : "(development build)"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}

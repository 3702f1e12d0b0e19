package io.batchwise.examples.cli;

import io.batchwise.config.ConfigurationException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

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
 * <p>Every failure prints one line on stderr and exits with a code from {@link ExitCodes}; Ctrl-C
 * exits 130 once the instances the command opened are closed ({@link Interrupts}). Every path on
 * the command line is resolved against the working directory the command was started from, and
 * messages name it as an absolute path. {@code COMMAND --help} prints any command's options.
 */
@Command(
    name = "batchwise",
    mixinStandardHelpOptions = true,
    versionProvider = BatchwiseCli.Version.class,
    description = "Batch embedding, vector search and token counting on the Batchwise framework.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 unexpected failure, 2 usage or configuration, 3 input, 4 output,"
          + " 5 some inputs got no vector, 130 interrupted (Ctrl-C)."
    })
public final class BatchwiseCli implements Runnable {
  /**
   * The commands, in the order the usage lists them. Not the annotation's {@code subcommands}:
   * picocli builds the model of every command it is given (reflection over each one's options and
   * mixins, and each one's class initialized), which a process running one of them would pay at
   * every start; {@link #commandLine} gives it the one the arguments name.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          EmbedCommand.class,
          MapCommand.class,
          IndexCommand.class,
          SearchCommand.class,
          TokensCommand.class,
          ProvidersCommand.class,
          ExampleCommand.class,
          BenchCommand.class,
          DemoCommand.class,
          CommandLine.HelpCommand.class);

  /** The option that adds jars (third-party providers, caches, ...) to the class path. */
  static final String CLASSPATH_OPTION = "--classpath";

  /**
   * Declared here for parsing and help on every command; read from the parse result, since it may
   * be given on any level.
   */
  @Option(
      names = CLASSPATH_OPTION,
      scope = ScopeType.INHERIT,
      paramLabel = "PATHS",
      description =
          "more jars to find providers, tokenizers, caches and schedulers in: jars, class directories"
              + " or DIR/* (every jar in DIR), separated by ':' (';' on Windows), as with java -cp")
  String classpath;

  /** The command line running this, set by picocli. */
  @Spec CommandSpec spec;

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
    Interrupts.install(
        System.err); // Ctrl-C: the instances close as the library closes them, then exit 130
    int code = execute(args, System.in, System.out, System.err);
    Interrupts.finished();
    System.exit(code);
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
  static int execute(
      String[] args, InputStream in, PrintStream out, PrintStream err, ConfigSources sources) {
    CommandLine cmd = commandLine(new BatchwiseCli(in, out, err, sources), args);
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.registerConverter(Path.class, BatchwiseCli::absolute);
    CommandLine example = cmd.getSubcommands().get("example");
    if (example != null) {
      // everything after an example's name is its own arguments, options included
      example.setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    }
    cmd.setExecutionStrategy(parsed -> executeWithClasspath(parsed, err));
    cmd.setExecutionExceptionHandler((e, command, parsed) -> report(e, command, err));
    cmd.setParameterExceptionHandler(
        (e, args2) -> {
          CommandLine c = e.getCommandLine();
          err.println(
              prefix(c)
                  + e.getMessage()
                  + suggestions(e)
                  + " (see '"
                  + c.getCommandSpec().qualifiedName()
                  + " --help')");
          return ExitCodes.USAGE;
        });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The command line for {@code args}: with only the command they name when they name one, else (no
   * command, {@code help}, a mistyped name, top-level {@code --help}) with all of them, as the
   * usage, the help command and the suggestions for a mistyped name list them all.
   *
   * @param cli the top-level command
   * @param args the arguments
   * @return the command line, its subcommands added
   */
  static CommandLine commandLine(BatchwiseCli cli, String[] args) {
    CommandLine cmd = new CommandLine(cli);
    String named = commandNamed(args);
    for (Class<?> command : COMMANDS) {
      if (named == null || named.equals(nameOf(command))) {
        cmd.addSubcommand(command);
      }
    }
    return cmd;
  }

  /**
   * The name of the command {@code args} run, when they run one other than {@code help}: their
   * first argument, or the first after {@code --classpath} and its value; else null (then a
   * top-level option such as {@code --help} may apply to the whole command line).
   */
  private static String commandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals(CLASSPATH_OPTION)) {
        i++; // its value
      } else if (arg.startsWith(CLASSPATH_OPTION + "=")) {
        continue;
      } else if (arg.startsWith("-")) {
        return null;
      } else {
        for (Class<?> command : COMMANDS) {
          String name = nameOf(command);
          if (name.equals(arg)) {
            return name.equals("help") ? null : name;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** A command's name, from its annotation (reading it does not initialize the class). */
  private static String nameOf(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  /**
   * Runs the command with the jars of {@code --classpath} (given on any level) as the thread's
   * context class loader, where Batchwise's discovery finds factories, and restores the previous
   * one after.
   */
  private static int executeWithClasspath(ParseResult parsed, PrintStream err) {
    List<String> entries = new ArrayList<>();
    CommandLine last = parsed.commandSpec().commandLine();
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      last = level.commandSpec().commandLine();
      if (level.hasMatchedOption(CLASSPATH_OPTION)) {
        entries.add(level.matchedOptionValue(CLASSPATH_OPTION, ""));
      }
    }
    if (entries.isEmpty()) {
      return new RunLast().execute(parsed);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    URLClassLoader loader;
    try {
      loader =
          ExtraClassPath.open(
              String.join(File.pathSeparator, entries), BatchwiseCli.class.getClassLoader());
    } catch (CliException e) {
      return report(e, last, err);
    }
    try {
      thread.setContextClassLoader(loader);
      return new RunLast().execute(parsed);
    } finally {
      thread.setContextClassLoader(previous);
      try {
        loader.close();
      } catch (IOException ignored) {
        // the command is done; an open jar is released when the process ends
      }
    }
  }

  /** One line on stderr for a failure, and its exit code. */
  private static int report(Exception e, CommandLine command, PrintStream err) {
    Interrupts.awaitExitIfStopping(); // what a stop does to a command is no failure of it
    err.flush();
    if (e instanceof CliException c) {
      err.println(prefix(command) + c.getMessage());
      return c.exitCode();
    }
    if (e instanceof ConfigurationException c) {
      // a configuration error wherever it surfaces; its message names the option, never a secret's
      // value
      err.println(prefix(command) + c.getMessage());
      return ExitCodes.USAGE;
    }
    err.println(prefix(command) + "unexpected failure: " + e);
    return ExitCodes.FAILURE;
  }

  /** For a mistyped option: at most three known names close to it, as picocli finds them. */
  private static String suggestions(CommandLine.ParameterException e) {
    if (!(e instanceof UnmatchedArgumentException u) || u.getSuggestions().isEmpty()) {
      return "";
    }
    return "; did you mean "
        + u.getSuggestions().stream()
            .limit(3)
            .map(name -> "'" + name + "'")
            .collect(Collectors.joining(" or "))
        + "?";
  }

  /**
   * A path given on the command line, resolved against the working directory the command was
   * started from, so that messages and reports name it unambiguously.
   *
   * @param path the path as given
   * @return the absolute, normalized path
   */
  static Path absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize();
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  /** Without a subcommand: prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(out); // no command named: the command line has every command
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
      return new String[] {
        "batchwise " + (v != null ? v : "(development build)"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}

package io.batchwise.examples.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise bench}: runs the macro benchmark harness of the {@code benchmarks} module.
 *
 * <p>The examples do not depend on the benchmarks (they would drag JMH into every example), so this
 * command finds the harness ({@code BenchmarkMain.run(String[], PrintStream, PrintStream)}) on the
 * classpath by name. The {@code ./batchwise} launcher builds the benchmarks module's thin jar and
 * puts it on the classpath for {@code bench}; run from the examples jar alone, the command says how
 * to get it. Exit codes: the harness's (0 ok, 1 a section failed, 2 usage), with "report not
 * written" as 4.
 */
@Command(
    name = "bench",
    description =
        "Run the benchmark harness and write BENCHMARKS.md (needs a source checkout: ./batchwise bench).")
final class BenchCommand implements Callable<Integer> {
  /** The harness's entry point in the benchmarks module. */
  static final String HARNESS_MAIN = "io.batchwise.benchmarks.BenchmarkMain";

  /** The harness's exit code for a report it could not write. */
  private static final int HARNESS_EXIT_IO = 3;

  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--quick",
      description = "scale every N down so the suite finishes in a few minutes")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "where to write the report (default: the harness's, BENCHMARKS.md)")
  Path out;

  @Option(
      names = "--only",
      paramLabel = "NAMES",
      description =
          "only these sections, by key or class name, comma-separated (e.g. index,tokenizer)")
  String only;

  @Override
  public Integer call() throws Exception {
    Class<?> harness;
    try {
      harness = Class.forName(HARNESS_MAIN);
    } catch (ClassNotFoundException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "the benchmarks are not on the classpath: run './batchwise bench'"
              + " from a source checkout (it builds the benchmarks module), or"
              + " './mvnw -pl benchmarks -am package -DskipTests -Pbench' and"
              + " 'java -jar benchmarks/target/batchwise-benchmarks.jar'");
    }
    if (out != null) {
      Outputs.requireWritable(out);
    }
    List<String> args = new ArrayList<>();
    if (quick) {
      args.add("--quick");
    }
    if (out != null) {
      args.add("--out");
      args.add(out.toString());
    }
    if (only != null) {
      args.add("--only");
      args.add(only);
    }
    Method run = harness.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
    int code;
    try {
      code = (Integer) run.invoke(null, args.toArray(new String[0]), cli.out(), cli.err());
    } catch (InvocationTargetException e) {
      throw new CliException(
          ExitCodes.FAILURE, "the benchmark harness failed: " + e.getCause(), e.getCause());
    }
    // the harness's codes: 0 ok, 1 a section failed, 2 usage, 3 the report could not be written
    return code == HARNESS_EXIT_IO ? ExitCodes.OUTPUT : code;
  }
}

package io.batchwise.examples.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code batchwise bench}: runs the macro benchmark harness of the {@code benchmarks} module.
 *
 * <p>The examples do not depend on the benchmarks (they would drag JMH into every example), so this
 * command finds the harness's main class on the classpath by name. The {@code ./batchwise} launcher
 * builds the benchmarks module and puts it on the classpath for {@code bench}; run from the examples
 * jar alone, the command says how to get it.
 */
@Command(name = "bench", description = "Run the benchmark harness and write BENCHMARKS.md (needs a source checkout: ./batchwise bench).")
final class BenchCommand implements Callable<Integer> {
  /** The harness's entry point in the benchmarks module. */
  static final String HARNESS_MAIN = "io.batchwise.benchmarks.BenchmarkMain";

  @ParentCommand BatchwiseCli cli;

  @Option(names = "--quick", description = "scale every N down so the suite finishes in a few minutes")
  boolean quick;

  @Option(names = "--out", paramLabel = "FILE", description = "where to write the report (default: the harness's, BENCHMARKS.md)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Class<?> harness;
    try {
      harness = Class.forName(HARNESS_MAIN);
    } catch (ClassNotFoundException e) {
      throw new CliException(ExitCodes.USAGE, "the benchmarks are not on the classpath: run './batchwise bench'"
          + " from a source checkout (it builds the benchmarks module), or"
          + " './mvnw -pl benchmarks -am package' and put benchmarks/target on the classpath");
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
    Method main = harness.getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args.toArray(new String[0]));
    } catch (InvocationTargetException e) {
      throw new CliException(ExitCodes.FAILURE, "the benchmark harness failed: " + e.getCause(), e.getCause());
    }
    return ExitCodes.OK;
  }
}

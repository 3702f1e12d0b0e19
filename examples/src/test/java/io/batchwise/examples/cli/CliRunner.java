package io.batchwise.examples.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Runs the CLI in-process through picocli, with captured streams. */
final class CliRunner {
  private CliRunner() {}

  /** What a run printed and returned. */
  record Result(int code, String out, String err) {
    /** The stderr lines. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  /**
   * Runs with its own environment and no system properties, instead of the test process's, so that
   * a test can set {@code OPENAI_API_KEY} and the like without touching the real environment.
   */
  static Result runWithEnvironment(Map<String, String> environment, String... args) {
    return run(new byte[0], new ConfigSources(new Properties(), environment), args);
  }

  static Result runWithStdin(String stdin, String... args) {
    return runWithStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  static Result runWithStdin(byte[] stdin, String... args) {
    return run(stdin, ConfigSources.system(), args);
  }

  private static Result run(byte[] stdin, ConfigSources sources, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = BatchwiseCli.execute(args, new ByteArrayInputStream(stdin), o, e, sources);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}

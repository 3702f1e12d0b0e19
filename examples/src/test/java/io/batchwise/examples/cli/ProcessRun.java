package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run in a process of its own, as a user runs it: its exit code and what it printed.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
record ProcessRun(int code, String out, String err) {

  /**
   * Runs a command, feeding it {@code stdin} and capturing each stream in a file (a pipe would need
   * a reader thread per stream), and waits up to two minutes for it.
   *
   * @param command the command and its arguments
   * @param dir its working directory
   * @param environment variables to add to this process's environment
   * @param stdin its standard input
   * @param scratch a directory for the captured streams
   * @return what it did
   */
  static ProcessRun of(
      List<String> command, Path dir, Map<String, String> environment, String stdin, Path scratch)
      throws IOException, InterruptedException {
    File out = Files.createTempFile(scratch, "stdout-", ".txt").toFile();
    File err = Files.createTempFile(scratch, "stderr-", ".txt").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out).redirectError(err);
    pb.environment().putAll(environment);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new ProcessRun(
        p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}

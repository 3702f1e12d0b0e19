package io.batchwise.examples;

import java.io.PrintStream;
import java.util.List;

/**
 * A runnable example app: each has its own {@code main}, and {@code batchwise example NAME} runs it
 * by name through this interface (with the command's streams, so that tests can run it in-process).
 */
public interface ExampleApp {

  /**
   * The name {@code batchwise example} knows it by.
   *
   * @return e.g. {@code quickstart}
   */
  String name();

  /**
   * One line saying what it shows.
   *
   * @return the summary
   */
  String summary();

  /**
   * Runs the example.
   *
   * @param args its arguments
   * @param out where it prints its results
   * @param err where it prints progress and reports
   * @return an exit code, 0 on success
   * @throws Exception when it fails
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}

package io.batchwise.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h} and {@code --help} for a subcommand: print its options and exit 0, before any check of
 * its required options or parameters.
 */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this command's options and exit")
  boolean help;
}

package io.batchwise.examples.cli;

import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code batchwise tokens}: counts a text's tokens, or cuts it to N tokens. */
@Command(
    name = "tokens",
    sortOptions = false,
    description = "Count the tokens of a text (or of stdin with -), or print it cut to N tokens.")
final class TokensCommand implements Callable<Integer> {
  @ParentCommand BatchwiseCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--tokenizer",
      defaultValue = "cl100k_base",
      paramLabel = "NAME",
      description =
          "a tokenizer or model name: cl100k_base, o200k_base, text-embedding-3-small,"
              + " all-minilm-l6-v2, ... (default: ${DEFAULT-VALUE}; see 'batchwise providers')")
  String tokenizerName;

  @Option(
      names = "--truncate",
      paramLabel = "N",
      description = "print the text cut to at most N tokens instead of the count")
  Integer truncate;

  @Parameters(
      arity = "1..*",
      paramLabel = "TEXT|-",
      description = "the text (several words need no quotes), or - for stdin")
  List<String> text;

  @Override
  public Integer call() {
    if (truncate != null && truncate < 1) {
      throw CliException.usage("--truncate must be at least 1, was " + truncate);
    }
    String input = text.equals(List.of("-")) ? stdin() : String.join(" ", text);
    Tokenizer tokenizer;
    try {
      tokenizer = TokenizerRegistry.standalone().get(tokenizerName);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (truncate != null) {
      cli.out().println(tokenizer.truncate(input, truncate));
    } else {
      cli.out().println(tokenizer.count(input));
    }
    return ExitCodes.OK;
  }

  private String stdin() {
    byte[] bytes;
    try {
      bytes = cli.in().readAllBytes();
    } catch (IOException e) {
      throw CliException.input("cannot read stdin: " + e.getMessage());
    }
    if (Utf8.firstNul(bytes) >= 0) {
      throw CliException.input("stdin is not text: a NUL byte at offset " + Utf8.firstNul(bytes));
    }
    int bad = Utf8.firstInvalid(bytes);
    if (bad >= 0) {
      throw CliException.input(
          "stdin is not valid UTF-8 at line "
              + Utf8.lineOf(bytes, bad)
              + " (byte offset "
              + bad
              + ")");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

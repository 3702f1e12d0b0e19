package io.batchwise.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that say where a command's inputs come from and how they are read, shared by {@code
 * embed} and {@code map} so that both read inputs alike: the same formats, fields and bad-input
 * rules ({@link InputReader}).
 */
final class InputOptions {
  @Option(
      names = "--in",
      required = true,
      paramLabel = "PATH|-",
      description = "input file, directory, or - for stdin")
  String in;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "jsonl, lines or text (whole file is one input); default: jsonl for *.jsonl, else lines")
  String format;

  @Option(
      names = "--text-field",
      defaultValue = "text",
      paramLabel = "NAME",
      description = "JSONL text field (default: ${DEFAULT-VALUE})")
  String textField;

  @Option(
      names = "--id-field",
      defaultValue = "id",
      paramLabel = "NAME",
      description =
          "JSONL id field (default: ${DEFAULT-VALUE}); inputs without one get their position")
  String idField;

  @Option(
      names = "--skip-invalid",
      description = "skip invalid JSONL lines (each reported on stderr) instead of failing")
  boolean skipInvalid;

  /**
   * A reader of the inputs as these options say, one input per line unless {@code --format} or the
   * file's extension says otherwise.
   *
   * @param err where skipped lines are reported
   * @return the reader; its input is {@link #in}
   * @throws CliException a usage error when {@code --format} is not a known format
   */
  InputReader reader(PrintStream err) {
    return new InputReader(
        parseFormat(format), InputFormat.LINES, textField, idField, skipInvalid, err);
  }

  /**
   * The {@code --format} value as a format.
   *
   * @param format the value given, or null
   * @return the format, or null when none was given (the file's extension decides)
   * @throws CliException a usage error naming the value when it is not jsonl, lines or text
   */
  static InputFormat parseFormat(String format) {
    if (format == null) {
      return null;
    }
    try {
      return InputFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--format must be jsonl, lines or text, was '" + format + "'");
    }
  }
}

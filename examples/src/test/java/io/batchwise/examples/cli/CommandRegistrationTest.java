package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line gives picocli only the command its arguments name, or all of them. */
class CommandRegistrationTest {
  private static final List<String> ALL =
      List.of(
          "embed",
          "map",
          "index",
          "search",
          "tokens",
          "providers",
          "example",
          "bench",
          "demo",
          "help");

  private static List<String> registered(String... args) {
    PrintStream none = new PrintStream(PrintStream.nullOutputStream());
    CommandLine cmd =
        BatchwiseCli.commandLine(
            new BatchwiseCli(new ByteArrayInputStream(new byte[0]), none, none), args);
    return List.copyOf(cmd.getSubcommands().keySet());
  }

  @Test
  @DisplayName(
      "a command's name, first or after --classpath and its value, registers that one only")
  void theNamedCommandOnly() {
    assertThat(registered("embed", "--in", "x.txt", "--out", "y.jsonl")).containsExactly("embed");
    assertThat(registered("providers")).containsExactly("providers");
    assertThat(registered("--classpath", "a.jar:b.jar", "tokens", "--in", "-"))
        .containsExactly("tokens");
    assertThat(registered("--classpath=a.jar", "search", "--index", "i")).containsExactly("search");
    // an option value that happens to be a command's name is not a command
    assertThat(registered("--classpath", "embed", "providers")).containsExactly("providers");
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {"", "help embed", "-h", "--help", "-V", "-h embed", "embd", "--nope embed"})
  @DisplayName("no command, help, a top-level option first or a mistyped name: every command")
  void everyCommandOtherwise(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThat(registered(args)).containsExactlyElementsOf(ALL);
  }

  @Test
  @DisplayName("every command in COMMANDS, in the usage's order; the usage lists them all")
  void usageListsAll() {
    assertThat(BatchwiseCli.COMMANDS).hasSize(ALL.size());
    CliRunner.Result usage = run();
    for (String command : ALL) {
      assertThat(usage.out()).containsPattern("(?m)^  " + command + "\\b");
    }
    CliRunner.Result help = run("help", "embed");
    assertThat(help.code()).isZero();
    assertThat(help.out()).containsPattern("(?m)^Usage: batchwise embed ");
    CliRunner.Result mistyped = run("embd");
    assertThat(mistyped.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(mistyped.err()).contains("embed");
  }
}

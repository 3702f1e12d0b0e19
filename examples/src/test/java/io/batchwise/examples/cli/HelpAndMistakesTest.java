package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.config.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Help for every command, and one clear line for each kind of mistake. */
class HelpAndMistakesTest {
  @TempDir Path dir;

  /**
   * Every subcommand the command line registers (a new one is covered without touching this test).
   */
  static Stream<String> commands() {
    PrintStream none = new PrintStream(PrintStream.nullOutputStream());
    return BatchwiseCli.commandLine(
        new BatchwiseCli(new ByteArrayInputStream(new byte[0]), none, none), new String[0])
        .getSubcommands()
        .keySet()
        .stream();
  }

  @ParameterizedTest(name = "{0} --help and -h")
  @MethodSource("commands")
  @DisplayName("COMMAND --help and -h print that command's usage on stdout and exit 0")
  void helpForEveryCommand(String command) {
    for (String flag : List.of("--help", "-h")) {
      CliRunner.Result r = run(command, flag);
      assertThat(r.code()).as(command + " " + flag + "\n" + r).isZero();
      assertThat(r.out())
          .as(command + " " + flag)
          .containsPattern("(?m)^Usage: batchwise " + command + " ");
      assertThat(r.err()).as(command + " " + flag).isEmpty();
    }
  }

  @Test
  @DisplayName("a command's help lists its options, required ones included, and --classpath")
  void helpListsOptions() {
    CliRunner.Result r = run("embed", "--help");
    assertThat(r.out())
        .contains("--in=PATH|-")
        .contains("--out=PATH|-")
        .contains("--provider=ID")
        .contains("--classpath=PATHS")
        .contains("-h, --help");
  }

  private Path input() throws IOException {
    return Files.writeString(dir.resolve("in.txt"), "one text\n");
  }

  @Test
  @DisplayName(
      "an unknown -o option: one line with the closest known name, not the list of every option")
  void unknownOptionSuggestsTheClosest() throws IOException {
    CliRunner.Result r =
        run(
            "embed",
            "--in",
            input().toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provider",
            "hashing",
            "-o",
            "locl.model=x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "batchwise embed: unknown option 'locl.model'; did you mean 'local.model'?");
  }

  @Test
  @DisplayName("a mistyped flag: one line with the closest flag")
  void mistypedFlag() throws IOException {
    CliRunner.Result r =
        run(
            "embed",
            "--in",
            input().toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provder=hashing");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "batchwise embed: Unknown option: '--provder=hashing'; did you mean '--provider'")
        .endsWith("(see 'batchwise embed --help')");
  }

  @Test
  @DisplayName(
      "an option of a provider or cache that is not selected: exit 2 naming the option and the selected one")
  void optionOfAnUnselectedFactory() throws IOException {
    Path in = input();
    CliRunner.Result r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provider",
            "hashing",
            "-o",
            "local.model=x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "batchwise embed: option 'local.model' is an option of provider 'local',"
                + " but the selected provider is 'hashing': select that provider, or leave the option out");
    assertThat(dir.resolve("o.jsonl")).doesNotExist();

    r =
        run(
            "embed",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "--provider",
            "hashing",
            "--cache",
            "caffeine",
            "-o",
            "cache.path=" + dir.resolve("c.db"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains(
            "option 'cache.path' is an option of cache 'sqlite' or 'tiered', but the selected cache is 'caffeine'");
  }

  @Test
  @DisplayName(
      "options of the selected provider, cache and scheduler are accepted, whichever module declares them")
  void optionsOfTheSelectedOnes() throws IOException {
    Path db = dir.resolve("c.db");
    CliRunner.Result r =
        run(
            "embed",
            "--in",
            input().toString(),
            "--out",
            dir.resolve("o.jsonl").toString(),
            "-q",
            "--provider",
            "hashing",
            "-o",
            "hashing.dimensions=16",
            "--cache",
            "tiered",
            "-o",
            "cache.back=sqlite",
            "-o",
            "cache.path=" + db,
            "-o",
            "scheduler.agents-per-core=1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(db).exists();
  }

  @Test
  @DisplayName(
      "the library says the same: Batchwise.build() refuses an option of a provider that is not selected")
  void theLibraryChecksToo() {
    Assertions.assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .sources(new Properties(), Map.of())
                    .provider("hashing")
                    .option("openai.base-url", "http://localhost:1")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "option 'openai.base-url' is an option of provider 'openai', but the selected provider is 'hashing'");
  }
}

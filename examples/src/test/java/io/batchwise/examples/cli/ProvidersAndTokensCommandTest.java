package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code batchwise providers}, {@code tokens}, {@code bench} from the examples jar alone, and the
 * top-level command.
 */
class ProvidersAndTokensCommandTest {

  @Test
  @DisplayName(
      "providers lists every provider with its models and options, and the caches and schedulers")
  void providers() {
    CliRunner.Result r = run("providers");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Providers")
        .contains("  hashing  models: hashing-v1, hashing-words-v1")
        .contains("hashing.dimensions = 384")
        .contains("Caches")
        .contains("  none")
        .contains("Schedulers")
        .contains("  local");
  }

  @Test
  @DisplayName("an unknown tokenizer is a usage error listing what is available")
  void unknownTokenizer() {
    CliRunner.Result r = run("tokens", "--tokenizer", "no-such-encoding", "hello");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("no tokenizer for 'no-such-encoding'");
  }

  @Test
  @DisplayName("bench without the benchmarks on the classpath says how to run them")
  void benchNeedsTheBenchmarks() {
    CliRunner.Result r = run("bench", "--quick");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("the benchmarks are not on the classpath")
        .contains("./batchwise bench");
  }

  @Test
  @DisplayName(
      "no command prints the usage; an unknown command is a usage error; --version names the version")
  void topLevel() {
    CliRunner.Result r = run();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: batchwise").contains("embed").contains("demo");
    r = run("embedd");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("Unmatched argument")
        .contains("embedd");
    r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("batchwise ");
  }
}

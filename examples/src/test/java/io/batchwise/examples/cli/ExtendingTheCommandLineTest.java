package io.batchwise.examples.cli;

import static io.batchwise.examples.cli.CliRunner.run;
import static io.batchwise.examples.cli.CliRunner.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --classpath}: a provider jar that is on no class path the build knows (compiled by the
 * test) is found by id once the option names it, and not before.
 */
class ExtendingTheCommandLineTest {
  @TempDir static Path build;
  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void buildProvider() throws IOException {
    jar = ProviderJars.tinyProvider(build);
  }

  @Test
  @DisplayName(
      "without --classpath the third-party id is unknown: exit 2 naming it and the ids found")
  void unknownWithout() {
    CliRunner.Result r =
        runWithStdin("abc\n", "embed", "--provider", ProviderJars.ID, "--in", "-", "--out", "-");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("'tiny'").contains("hashing");
    assertThat(r.out()).isEmpty();
  }

  @Test
  @DisplayName("with --classpath JAR it embeds by id, on the subcommand or before it")
  void embedsWith() throws IOException {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    for (List<String> args :
        List.of(
            List.of(
                "embed",
                "--classpath",
                jar.toString(),
                "--provider",
                "tiny",
                "--in",
                "-",
                "--out",
                "-",
                "-q"),
            List.of(
                "--classpath",
                jar.toString(),
                "embed",
                "--provider",
                "tiny",
                "--in",
                "-",
                "--out",
                "-",
                "-q"))) {
      CliRunner.Result r = runWithStdin("abc\nhello world\n", args.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isZero();
      List<JsonNode> records = r.out().lines().map(ExtendingTheCommandLineTest::json).toList();
      assertThat(records).hasSize(2);
      assertThat(VectorFiles.vector(records.get(0))).containsExactly(ProviderJars.expected("abc"));
      assertThat(VectorFiles.vector(records.get(1)))
          .containsExactly(ProviderJars.expected("hello world"));
    }
    assertThat(Thread.currentThread().getContextClassLoader())
        .as("the context class loader is restored")
        .isSameAs(before);
  }

  @Test
  @DisplayName(
      "providers lists what --classpath adds; DIR/* takes every jar in DIR, entries separated as in java -cp")
  void listsAndWildcards() throws IOException {
    CliRunner.Result r = run("providers", "--classpath", jar.getParent() + File.separator + "*");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("  tiny").contains("  hashing");

    Path empty = Files.createDirectory(dir.resolve("empty"));
    r = run("providers", "--classpath", empty + File.pathSeparator + jar);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("  tiny");
  }

  @Test
  @DisplayName("an entry that does not exist: exit 2 naming it as an absolute path")
  void missingEntry() {
    CliRunner.Result r = run("providers", "--classpath", "no-such-plugin.jar");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "batchwise providers: --classpath: "
                + Path.of("no-such-plugin.jar").toAbsolutePath()
                + " does not exist");
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}

package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive ({@code ./mvnw -Pdist verify}): unpacked into a directory outside the
 * checkout, {@code bin/batchwise} runs from yet another directory with nothing but a JDK, and the
 * zip holds the same files as the tar.gz.
 */
class DistArchiveIT {
  @TempDir static Path unpacked;
  private static Path home;
  private static Path tarGz;
  private static Path zip;

  @TempDir Path elsewhere;

  @BeforeAll
  static void unpack() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> archives =
          files
              .filter(p -> p.getFileName().toString().matches("batchwise-.+\\.(zip|tar\\.gz)"))
              .toList();
      tarGz =
          archives.stream()
              .filter(p -> p.toString().endsWith(".tar.gz"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no batchwise-*.tar.gz in target/: build with -Pdist"))
              .toAbsolutePath();
      zip =
          archives.stream()
              .filter(p -> p.toString().endsWith(".zip"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException("no batchwise-*.zip in target/: build with -Pdist"))
              .toAbsolutePath();
    }
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarGz.toString(), "-C", unpacked.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
    String name = tarGz.getFileName().toString().replace(".tar.gz", "");
    home = unpacked.resolve(name);
  }

  /** Runs the archive's launcher from an unrelated directory with this test's JDK. */
  private ProcessRun batchwise(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/batchwise").toString()));
    command.addAll(List.of(args));
    return ProcessRun.of(
        command, elsewhere, Map.of("JAVA_HOME", System.getProperty("java.home")), stdin, elsewhere);
  }

  @Test
  @DisplayName(
      "the archive holds bin/batchwise (executable), lib/ with the command line and its dependencies, and the README")
  void layout() throws IOException {
    assertThat(home.resolve("bin/batchwise")).isExecutable();
    assertThat(home.resolve("README.md")).isRegularFile();
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("batchwise-examples-"))
          .anyMatch(n -> n.startsWith("batchwise-core-"))
          .anyMatch(n -> n.startsWith("batchwise-providers-local-"))
          .anyMatch(n -> n.startsWith("picocli-"));
    }
  }

  @Test
  @DisplayName("the zip holds the same files as the tar.gz")
  void zipMatchesTarGz() throws IOException {
    Set<String> inTar = new TreeSet<>();
    try (Stream<Path> files = Files.walk(unpacked)) {
      files
          .filter(Files::isRegularFile)
          .forEach(f -> inTar.add(unpacked.relativize(f).toString().replace('\\', '/')));
    }
    Set<String> inZip = new TreeSet<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          inZip.add(entry.getName());
        }
      }
    }
    assertThat(inZip).isEqualTo(inTar);
  }

  @Test
  @DisplayName(
      "bin/batchwise runs from another directory: providers, and a one-text embed to stdout")
  void runsWithoutTheSourceTree() throws Exception {
    ProcessRun providers = batchwise("", "providers");
    assertThat(providers.code()).as(providers.toString()).isZero();
    assertThat(providers.out())
        .contains("  local")
        .contains("  openai")
        .contains("  hashing")
        .contains("  sqlite");

    ProcessRun embed =
        batchwise(
            "one text\n",
            "embed",
            "--provider",
            "hashing",
            "--dimensions",
            "16",
            "--in",
            "-",
            "--out",
            "-");
    assertThat(embed.code()).as(embed.toString()).isZero();
    List<String> lines = embed.out().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(VectorFiles.vector(new ObjectMapper().readTree(lines.get(0))))
        .containsExactly(VectorFiles.reference(16, List.of("one text")).get(0));
    assertThat(embed.err()).contains("batchwise report (hashing/hashing-v1)");

    ProcessRun version = batchwise("", "--version");
    assertThat(version.out()).startsWith("batchwise 0.").doesNotContain("development build");
  }
}

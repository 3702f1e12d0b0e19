package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.testkit.EmbeddingProviderContract;
import io.batchwise.testkit.TokenizerContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The README's "Write your own provider" is complete on its own: its files, extracted from the
 * README (so the two cannot drift apart), make a standalone Maven project that builds against the
 * Batchwise just built, runs its contract tests (more than none), and makes a jar that the command
 * line uses by id through {@code --classpath}.
 *
 * <p>The project builds offline with two local repositories: {@code target/it-repo}, where the
 * invoker plugin's {@code install} goal put this build's artifacts (never the shared {@code
 * ~/.m2}), in front of the build's own local repository, read-only (Maven 3.9's {@code
 * maven.repo.local.tail}), for the plugins and third-party libraries.
 */
class ProviderFromReadmeIT {
  private static final Path README = Path.of("..", "README.md");
  private static final String SECTION = "## Write your own provider";

  /** A file of the project: a marker naming its path, then a fenced block holding it. */
  private static final Pattern FILE =
      Pattern.compile("<!-- file: (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

  @TempDir Path project;

  /** The files the README's section gives, by path, in order. */
  static Map<String, String> readmeFiles() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertThat(start).as("the README has the section '%s'", SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", start + SECTION.length());
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = FILE.matcher(section);
    while (m.find()) {
      assertThat(files.put(m.group(1), m.group(2) + "\n"))
          .as("%s is given once", m.group(1))
          .isNull();
    }
    return files;
  }

  @Test
  @DisplayName(
      "the README's provider project builds, runs its contract tests and embeds by id from the command line")
  void readmeProjectBuildsTestsAndEmbeds() throws Exception {
    Map<String, String> files = readmeFiles();
    assertThat(files)
        .containsKeys(
            "pom.xml",
            "src/main/resources/META-INF/services/io.batchwise.spi.EmbeddingProviderFactory");
    String version = System.getProperty("it.version");
    assertThat(files.get("pom.xml"))
        .as("the README's POM imports this version's BOM")
        .contains("<version>" + version + "</version>");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path path = project.resolve(f.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, f.getValue(), StandardCharsets.UTF_8);
    }

    Path log = project.resolve("build.log");
    int code = maven(log, "verify");
    assertThat(code).as("mvn verify of the README's project; its log:\n%s", tail(log)).isZero();

    Map<String, int[]> suites = testCounts(project.resolve("target/surefire-reports"));
    assertThat(suites.values().stream().mapToInt(c -> c[0]).sum())
        .as("tests run by the README's project")
        .isPositive();
    assertThat(suites.values().stream().mapToInt(c -> c[1]).sum())
        .as("failures and errors")
        .isZero();
    // every rule of each kit ran against the README's provider and tokenizer
    assertThat(suites.get("com.example.letters.LettersProviderContractTest")[0])
        .isEqualTo(testMethods(EmbeddingProviderContract.class));
    assertThat(suites.get("com.example.letters.CharTokenizerContractTest")[0])
        .isEqualTo(testMethods(TokenizerContract.class));

    Path jar = project.resolve("target/letters-provider-1.0.jar");
    assertThat(jar).isRegularFile();
    CliRunner.Result r =
        CliRunner.runWithStdin(
            "listen\nsilent\nsomething else\n",
            "embed",
            "--classpath",
            jar.toString(),
            "--provider",
            "letters",
            "-o",
            "letters.dimensions=16",
            "--in",
            "-",
            "--out",
            "-",
            "-q");
    assertThat(r.code()).as(r.toString()).isZero();
    List<float[]> vectors = r.out().lines().map(ProviderFromReadmeIT::vector).toList();
    assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(16));
    assertThat(vectors.get(0)).containsExactly(vectors.get(1));
    assertThat(EmbeddingProviderContract.norm(vectors.get(2))).isCloseTo(1.0, within(1e-5));
  }

  /**
   * Runs this build's Maven on the project, offline, with this test's JDK; the output goes to
   * {@code log}.
   */
  private int maven(Path log, String... goals) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B",
                "-ntp",
                "-o",
                "-Dmaven.repo.local=" + System.getProperty("it.repo"),
                "-Dmaven.repo.local.tail=" + System.getProperty("build.repo")));
    command.addAll(List.of(goals));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("MAVEN_")); // this build's wrapper settings are not the project's
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the README project's build finished").isTrue();
    return p.exitValue();
  }

  /** For each test class, from the surefire reports: tests run, and failures plus errors. */
  private static Map<String, int[]> testCounts(Path reports) throws Exception {
    Map<String, int[]> suites = new LinkedHashMap<>();
    assertThat(reports).as("surefire reports of the README's project").isDirectory();
    try (Stream<Path> files = Files.list(reports)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
        Element suite =
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(f.toFile())
                .getDocumentElement();
        suites.put(
            suite.getAttribute("name"),
            new int[] {
              Integer.parseInt(suite.getAttribute("tests")),
              Integer.parseInt(suite.getAttribute("failures"))
                  + Integer.parseInt(suite.getAttribute("errors"))
            });
      }
    }
    return suites;
  }

  /** The {@code @Test} methods a contract kit declares. */
  private static int testMethods(Class<?> kit) {
    return (int)
        Stream.of(kit.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static float[] vector(String line) {
    try {
      return VectorFiles.vector(new ObjectMapper().readTree(line));
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}

package io.batchwise.benchmarks.startup;

import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.FullModeOnly;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line as a user meets it: each round starts a whole process through the checkout's
 * {@code batchwise} launcher (the default way to run it), and the three commands are measured in
 * the same run, interleaved. {@code providers} is the baseline: it starts the JVM, parses the
 * command line and lists what the class path holds, which every command pays for. Against it:
 *
 * <ul>
 *   <li>one-text {@code embed} with the local model (its model and tokenizer load, one text is
 *       embedded);
 *   <li>a fully cached rerun: {@code embed --cache sqlite} of 311 chunks that an untimed run before
 *       put in the cache, which must load no model.
 * </ul>
 *
 * <p>The 311 chunks are the sample corpus ({@code examples/src/main/resources/corpus}, its topic
 * files in name order) cut into chunks of 38 words, the first 311. Each round's output is checked:
 * the cached rerun must report 311 cache hits and no provider call, and write 311 vectors. Full
 * mode only: a round is three processes of seconds each.
 */
@FullModeOnly
public final class StartupBenchmark implements MacroBenchmark {
  /**
   * Where the launcher is when the benchmarks do not run from a checkout's {@code
   * benchmarks/target}.
   */
  public static final String LAUNCHER_PROPERTY = "batchwise.launcher";

  static final int CHUNKS = 311;
  static final int WORDS_PER_CHUNK = 38;

  /** The targets: time of each command over the time of {@code providers}. */
  static final double CACHED_RERUN_TARGET = 1.5;

  static final double ONE_TEXT_TARGET = 2.4;
  private static final long PROCESS_TIMEOUT_MINUTES = 10;

  /** Creates the section. */
  public StartupBenchmark() {}

  @Override
  public String title() {
    return "Start-up: whole command-line processes through the launcher";
  }

  @Override
  public String run(boolean quick) throws Exception {
    Path launcher = launcher();
    Path root = launcher.getParent();
    Path work = Files.createTempDirectory("batchwise-startup");
    try {
      Path one =
          Files.writeString(
              work.resolve("one.txt"), "How often do I need to feed my sourdough starter?\n");
      List<String> chunks = chunks(root.resolve("examples/src/main/resources/corpus"));
      Path chunkFile = Files.write(work.resolve("chunks.txt"), chunks, StandardCharsets.UTF_8);
      Path cache = work.resolve("cache.db");
      Path report = work.resolve("report.json");
      List<String> cached =
          List.of(
              "embed",
              "--in",
              chunkFile.toString(),
              "--out",
              work.resolve("chunks.jsonl").toString(),
              "--cache",
              "sqlite",
              "--cache-path",
              cache.toString(),
              "-q",
              "--report",
              report.toString());
      // fills the cache (and builds the command line if the checkout changed): untimed
      run(launcher, work, cached);

      String providers = "providers";
      String oneText = "embed, one text (local model)";
      String rerun = "embed --cache sqlite, " + CHUNKS + " chunks all cached";
      // a process's time on a shared machine varies from one run to the next: enough rounds that
      // the medians hold still
      int rounds = quick ? 3 : 15;
      Comparison.Result result =
          Comparison.of("whole process through ./batchwise", 1)
              .baseline(providers, () -> run(launcher, work, List.of("providers")))
              .candidate(
                  oneText,
                  () ->
                      run(
                          launcher,
                          work,
                          List.of(
                              "embed",
                              "--in",
                              one.toString(),
                              "--out",
                              work.resolve("one.jsonl").toString(),
                              "-q")))
              .candidate(
                  rerun,
                  () -> {
                    run(launcher, work, cached);
                    requireAllCached(report, work.resolve("chunks.jsonl"));
                    return null;
                  })
              .run(1, rounds);

      double cachedRatio =
          result.get(rerun).medianSeconds() / result.get(providers).medianSeconds();
      double oneRatio = result.get(oneText).medianSeconds() / result.get(providers).medianSeconds();
      StringBuilder md = new StringBuilder();
      md.append("Each round runs `")
          .append(launcher)
          .append(" COMMAND` as a new process (")
          .append(rounds)
          .append(" rounds after one warm-up, interleaved; JAVA_OPTS: `")
          .append(System.getenv().getOrDefault("JAVA_OPTS", ""))
          .append("`, BATCHWISE_CDS: `")
          .append(System.getenv().getOrDefault("BATCHWISE_CDS", "on"))
          .append("`).\n\n");
      md.append(result.toMarkdown("processes")).append('\n');
      md.append(
          String.format(
              Locale.ROOT,
              "Medians: providers %.2f s, one-text embed %.2f s (%.2f× providers), fully cached rerun of %d chunks"
                  + " %.2f s (%.2f× providers), on %d cores.%n%n",
              result.get(providers).medianSeconds(),
              result.get(oneText).medianSeconds(),
              oneRatio,
              CHUNKS,
              result.get(rerun).medianSeconds(),
              cachedRatio,
              Runtime.getRuntime().availableProcessors()));
      md.append(
          Target.table(
              List.of(
                  Target.atMost(
                      "fully cached rerun of " + CHUNKS + " chunks, time over providers'",
                      cachedRatio,
                      CACHED_RERUN_TARGET,
                      "×"),
                  Target.atMost(
                      "one-text embed with the local model, time over providers'",
                      oneRatio,
                      ONE_TEXT_TARGET,
                      "×"))));
      return md.toString();
    } finally {
      deleteTree(work);
    }
  }

  /**
   * The launcher: the system property, else the checkout's {@code batchwise} above the benchmarks'
   * classes.
   */
  static Path launcher() {
    String configured = System.getProperty(LAUNCHER_PROPERTY);
    if (configured != null) {
      Path p = Path.of(configured).toAbsolutePath();
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(
            "-D" + LAUNCHER_PROPERTY + "=" + configured + " is not an executable file");
      }
      return p;
    }
    Path here;
    try {
      here =
          Path.of(
              StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the benchmarks' classes", e);
    }
    for (Path dir = here.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("batchwise");
      if (Files.isRegularFile(candidate)
          && Files.isExecutable(candidate)
          && Files.isRegularFile(dir.resolve("examples/pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no batchwise launcher of a checkout above "
            + here
            + ": run the benchmarks from a checkout, or set -D"
            + LAUNCHER_PROPERTY
            + "=PATH");
  }

  /**
   * The corpus's topic files in name order, cut into chunks of {@link #WORDS_PER_CHUNK} words, the
   * first {@link #CHUNKS}.
   */
  static List<String> chunks(Path corpus) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(corpus, "*.txt")) {
      s.forEach(files::add);
    }
    files.sort(null);
    List<String> chunks = new ArrayList<>();
    for (Path f : files) {
      List<String> words =
          Arrays.asList(Files.readString(f, StandardCharsets.UTF_8).strip().split("\\s+"));
      for (int i = 0; i < words.size() && chunks.size() < CHUNKS; i += WORDS_PER_CHUNK) {
        chunks.add(String.join(" ", words.subList(i, Math.min(words.size(), i + WORDS_PER_CHUNK))));
      }
    }
    if (chunks.size() < CHUNKS) {
      throw new IllegalStateException(
          corpus
              + " gives "
              + chunks.size()
              + " chunks of "
              + WORDS_PER_CHUNK
              + " words; the section needs "
              + CHUNKS);
    }
    return chunks;
  }

  /**
   * Runs one command as a whole process in {@code dir}; fails with its stderr when it does not exit
   * 0.
   */
  private static Object run(Path launcher, Path dir, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(args);
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(PROCESS_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command)
              + " did not exit within "
              + PROCESS_TIMEOUT_MINUTES
              + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited "
              + p.exitValue()
              + ": "
              + Files.readString(err, StandardCharsets.UTF_8).strip());
    }
    return null;
  }

  /**
   * A rerun that called the model, or wrote other than one vector per chunk, is not the rerun
   * measured.
   */
  private static void requireAllCached(Path report, Path vectors) throws IOException {
    String json = Files.readString(report, StandardCharsets.UTF_8);
    long lines;
    try (var s = Files.lines(vectors)) {
      lines = s.count();
    }
    if (field(json, "cacheHits") != CHUNKS
        || field(json, "providerCalls") != 0
        || lines != CHUNKS) {
      throw new IllegalStateException(
          "the cached rerun was not answered from the cache: " + json + ", " + lines + " vectors");
    }
  }

  /** A whole-number field of the report, or -1 when it has none. */
  static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

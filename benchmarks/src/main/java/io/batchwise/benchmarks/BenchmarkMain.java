package io.batchwise.benchmarks;

import io.batchwise.benchmarks.harness.BenchmarkReport;
import io.batchwise.benchmarks.harness.MachineInfo;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Section;
import io.batchwise.benchmarks.harness.SectionDiscovery;
import io.batchwise.benchmarks.harness.SectionResult;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The macro benchmark harness: runs every section (each comparison with its baseline, in this one
 * process) and writes {@code BENCHMARKS.md}.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests -Pbench
 * java -jar benchmarks/target/batchwise-benchmarks.jar [--quick] [--out FILE] [--only NAME[,NAME]]
 *     [--section-timeout SECONDS] [--list]
 * java -jar benchmarks/target/batchwise-benchmarks.jar jmh [JMH options]   # the JMH micro-benchmarks
 * </pre>
 *
 * <p>Sections are found by {@link SectionDiscovery}. A section that throws, cannot be created, or
 * outlasts {@code --section-timeout} is reported as failed in the file, with its error, and the
 * rest still run; the exit code is then {@value #EXIT_SECTION_FAILED}. The file is rewritten after
 * every section (marked incomplete until the last), always through a temporary file moved into
 * place, so it is never half-written.
 *
 * <p>Exit codes: 0 all selected sections ran; {@value #EXIT_SECTION_FAILED} a section failed;
 * {@value #EXIT_USAGE} bad command line; {@value #EXIT_IO} the report could not be written.
 *
 * <p>Packaging: the benchmarks jar is thin, with its dependencies in {@code target/lib} (the {@code
 * bench} profile copies them). A shaded jar was tried and rejected: it must re-compress the 90 MB
 * MiniLM model, the quantized models and ONNX Runtime's native libraries on every build.
 */
public final class BenchmarkMain {
  /** A section failed. */
  public static final int EXIT_SECTION_FAILED = 1;

  /** The command line was wrong. */
  public static final int EXIT_USAGE = 2;

  /** The report could not be written. */
  public static final int EXIT_IO = 3;

  /**
   * The harness's logging configuration (warnings only), a resource of this jar; not named {@code
   * logback.xml}, so that it never clashes with an application's on a shared classpath.
   */
  public static final String LOGGING_CONFIGURATION = "logback-benchmarks.xml";

  private static final String LOGBACK_PROPERTY = "logback.configurationFile";

  /** Where the jar lands in a build, relative to the project root. */
  static final String JAR_PATH = "benchmarks/target/batchwise-benchmarks.jar";

  private static final String USAGE =
      """
      Usage: java -jar %s [--quick] [--out FILE] [--only NAME[,NAME...]] [--section-timeout SECONDS] [--list]
             java -jar %s jmh [JMH options]
        --quick             scale every N down (the whole suite in under three minutes on 2 cores)
        --out FILE          where to write the report (default BENCHMARKS.md)
        --only NAMES        run only these sections (keys or class names, comma-separated; repeatable)
        --section-timeout S fail a section that runs longer than S seconds (default: no limit)
        --list              list the sections and exit
        jmh ...             run the JMH micro-benchmarks (org.openjdk.jmh.Main) with the options given
      """
          .formatted(JAR_PATH, JAR_PATH);

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  BenchmarkMain(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /**
   * Runs the harness and exits with its status.
   *
   * @param args the command line, see the class description
   * @throws Exception when the JMH runner fails ({@code jmh} mode only)
   */
  public static void main(String[] args) throws Exception {
    if (System.getProperty(LOGBACK_PROPERTY) == null) {
      System.setProperty(LOGBACK_PROPERTY, LOGGING_CONFIGURATION);
    }
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the harness over the sections {@link SectionDiscovery} finds, without exiting.
   *
   * @param args the command line
   * @param out where progress goes
   * @param err where errors go
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      err.print(USAGE);
      return EXIT_USAGE;
    }
    if (options.help()) {
      out.print(USAGE);
      return 0;
    }
    optOutOfTracking();
    List<Section> sections;
    try {
      sections = SectionDiscovery.discover();
    } catch (IllegalStateException e) {
      err.println("bench: " + e.getMessage());
      return EXIT_SECTION_FAILED;
    }
    return new BenchmarkMain(out, err, Clock.systemUTC()).run(options, sections, args);
  }

  /**
   * Nothing may phone home: DJL (the HuggingFace tokenizers binding some sections load directly)
   * contacts a metadata endpoint unless {@code OPT_OUT_TRACKING} is true. An explicit setting wins.
   */
  static void optOutOfTracking() {
    if (System.getenv("OPT_OUT_TRACKING") == null
        && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  /**
   * Runs the selected sections and writes the report.
   *
   * @param options the parsed command line
   * @param all every section available
   * @param args the raw command line, for the report
   * @return the exit code
   */
  int run(Options options, List<Section> all, String[] args) {
    List<Section> selected;
    try {
      selected = select(options, all);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (options.list()) {
      for (Section s : all) {
        out.println(
            s.key() + "\t" + s.className() + (s.fullModeOnly() ? "\t(full mode only)" : ""));
      }
      return 0;
    }
    String launcher = launcher();
    String command = launcher + (args.length == 0 ? "" : " " + String.join(" ", args));
    MachineInfo machine = MachineInfo.detect();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    String commit = commit();
    List<SectionResult> results = new ArrayList<>();
    boolean explicit = !options.only().isEmpty();
    for (int i = 0; i < selected.size(); i++) {
      Section s = selected.get(i);
      SectionResult r;
      if (options.quick() && s.fullModeOnly() && !explicit) {
        r = SectionResult.notRunInQuickMode(s, titleOf(s));
      } else {
        out.printf(Locale.ROOT, "[%d/%d] %s ...%n", i + 1, selected.size(), s.key());
        r = runSection(s, options);
        out.printf(
            Locale.ROOT,
            "[%d/%d] %s %s in %.1f s%n",
            i + 1,
            selected.size(),
            s.key(),
            r.status() == SectionResult.Status.FAILED ? "FAILED" : "done",
            r.seconds());
        if (r.status() == SectionResult.Status.FAILED) {
          err.println(
              "bench: section " + s.key() + " failed: " + r.error().lines().findFirst().orElse(""));
        }
      }
      results.add(r);
      BenchmarkReport report =
          new BenchmarkReport(
              machine,
              started,
              options.quick(),
              commit,
              command,
              launcher,
              results,
              selected.size() - results.size(),
              !explicit,
              seconds(startNanos));
      try {
        write(options.out(), report.toMarkdown());
      } catch (IOException e) {
        err.println("bench: cannot write " + options.out() + ": " + e);
        return EXIT_IO;
      }
    }
    boolean failed = results.stream().anyMatch(r -> r.status() == SectionResult.Status.FAILED);
    out.println("wrote " + options.out().toAbsolutePath());
    return failed ? EXIT_SECTION_FAILED : 0;
  }

  private static List<Section> select(Options options, List<Section> all) {
    if (options.only().isEmpty()) {
      return all;
    }
    List<Section> selected = new ArrayList<>();
    for (String name : options.only()) {
      List<Section> matches =
          all.stream()
              .filter(
                  s ->
                      s.matches(name)
                          || s.key()
                              .toLowerCase(Locale.ROOT)
                              .startsWith(name.toLowerCase(Locale.ROOT) + ":"))
              .toList();
      if (matches.isEmpty()) {
        throw new IllegalArgumentException(
            "no section named '"
                + name
                + "'; sections: "
                + String.join(", ", all.stream().map(Section::key).toList()));
      }
      matches.stream().filter(m -> !selected.contains(m)).forEach(selected::add);
    }
    // report order, whatever order the names were given in
    selected.sort((a, b) -> Integer.compare(all.indexOf(a), all.indexOf(b)));
    return selected;
  }

  /** A section's title without running it; its class name when it cannot even be created. */
  private static String titleOf(Section section) {
    try {
      return section.factory().get().title();
    } catch (RuntimeException | LinkageError e) {
      return section.simpleName();
    }
  }

  /** Runs one section on its own thread, so a timeout can abandon it and the rest still run. */
  private SectionResult runSection(Section section, Options options) {
    long start = System.nanoTime();
    String[] title = {section.simpleName()};
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "bench-" + section.key());
              t.setDaemon(true);
              return t;
            });
    try {
      Future<String> markdown =
          thread.submit(
              () -> {
                MacroBenchmark b = section.factory().get();
                title[0] = b.title();
                return b.run(options.quick());
              });
      String md =
          options.sectionTimeoutSeconds() > 0
              ? markdown.get(options.sectionTimeoutSeconds(), TimeUnit.SECONDS)
              : markdown.get();
      return SectionResult.ran(section, title[0], md, seconds(start));
    } catch (ExecutionException e) {
      return SectionResult.failed(section, title[0], e.getCause(), seconds(start));
    } catch (TimeoutException e) {
      return SectionResult.failed(
          section,
          title[0],
          new TimeoutException(
              "section did not finish within --section-timeout "
                  + options.sectionTimeoutSeconds()
                  + " s"),
          seconds(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SectionResult.failed(section, title[0], e, seconds(start));
    } finally {
      thread.shutdownNow();
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Writes through a temporary file in the same directory, moved into place. */
  static void write(Path file, String content) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * How this run can be started again: {@code java [its JVM options] -jar JAR} when it runs from
   * the benchmarks jar, otherwise the jar command a build produces.
   */
  private static String launcher() {
    try {
      Path source =
          Path.of(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
        Path cwd = Path.of("").toAbsolutePath();
        String jar = source.startsWith(cwd) ? cwd.relativize(source).toString() : source.toString();
        List<String> jvm =
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib"))
                .toList();
        return "java " + (jvm.isEmpty() ? "" : String.join(" ", jvm) + " ") + "-jar " + jar;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the documented command
    }
    return "java --enable-native-access=ALL-UNNAMED -jar " + JAR_PATH;
  }

  /** The checked-out commit, when this runs inside a git work tree with git on the PATH. */
  private static String commit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || !sha.matches("[0-9a-f]{7,40}")) {
        return "";
      }
      Process dirty =
          new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
      dirty.getOutputStream().close();
      boolean modified =
          dirty.waitFor(5, TimeUnit.SECONDS)
              && dirty.exitValue() == 0
              && dirty.getInputStream().readAllBytes().length > 0;
      return modified ? sha + " (with uncommitted changes)" : sha;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * The parsed command line.
   *
   * @param quick scale every N down
   * @param out the report file
   * @param only section names to run; empty for all
   * @param sectionTimeoutSeconds fail sections that run longer; 0 for no limit
   * @param list list the sections instead of running them
   * @param help print the usage
   */
  record Options(
      boolean quick,
      Path out,
      List<String> only,
      long sectionTimeoutSeconds,
      boolean list,
      boolean help) {

    static Options parse(String[] args) {
      boolean quick = false;
      boolean list = false;
      boolean help = false;
      Path out = Path.of("BENCHMARKS.md");
      List<String> only = new ArrayList<>();
      long timeout = 0;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> quick = true;
          case "--list" -> list = true;
          case "--help", "-h" -> help = true;
          case "--out" -> out = Path.of(value(args, ++i, a));
          case "--only" -> {
            for (String n : value(args, ++i, a).split(",")) {
              if (!n.isBlank()) {
                only.add(n.strip());
              }
            }
          }
          case "--section-timeout" -> {
            String v = value(args, ++i, a);
            try {
              timeout = Long.parseLong(v);
            } catch (NumberFormatException e) {
              timeout = -1;
            }
            if (timeout < 1) {
              throw new IllegalArgumentException(
                  "--section-timeout was '"
                      + v
                      + "'; it must be a whole number of seconds, at least 1");
            }
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option '" + a + "' (argument " + (i + 1) + ")");
        }
      }
      return new Options(quick, out, List.copyOf(only), timeout, list, help);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}

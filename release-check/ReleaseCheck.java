import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The release profile's last step: checks what the release build made, then builds the published
 * modules a second time in a copy of the source tree and compares the outputs byte for byte.
 *
 * <p>A published module is one for which the release build wrote an SBOM ({@code target/bom.xml})
 * or a sources jar: the build parent makes them for every module that does not set {@code
 * publish.skip}. For each, it checks that it has an SBOM and that every component of the SBOM names
 * a licence; that a jar module has its jar, {@code -sources.jar} and {@code -javadoc.jar}; and that
 * every jar carries the repository's {@code LICENSE} and {@code NOTICE} as {@code META-INF/LICENSE}
 * and {@code META-INF/NOTICE}. Then it copies the sources (no {@code target} directory, no VCS
 * data) to {@code WORK/rebuild}, runs the release build of the published modules there with the
 * same JDK and compares every jar and SBOM with the first build's. A second directory makes any
 * absolute path that leaks into an artifact show up as a difference too.
 *
 * <p>Run by exec-maven-plugin from {@code release-check/pom.xml} with the JDK's source launcher (no
 * dependency but the JDK): {@code java ReleaseCheck.java ROOT WORK}. It exits with 1 and a list of
 * every problem when any is found; {@code -Drelease.check.skip} skips it.
 */
public final class ReleaseCheck {
  /** Outputs of one module that a second build must reproduce exactly. */
  private static final List<String> COMPARED_SUFFIXES = List.of(".jar", "bom.json", "bom.xml");

  /** Directories that are build output or VCS data, never copied for the second build. */
  private static final Set<String> NOT_SOURCES =
      Set.of("target", ".git", ".idea", ".vscode", ".batchwise");

  private final Path root;
  private final Path work;
  private final List<String> problems = new ArrayList<>();

  private ReleaseCheck(Path root, Path work) {
    this.root = root;
    this.work = work;
  }

  /**
   * Runs the check.
   *
   * @param args the repository's root directory and a work directory for the second build
   * @throws Exception when the check itself cannot run (a problem it finds exits with status 1
   *     instead)
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: java ReleaseCheck.java ROOT WORK");
      System.exit(2);
    }
    ReleaseCheck check =
        new ReleaseCheck(
            Path.of(args[0]).toAbsolutePath().normalize(),
            Path.of(args[1]).toAbsolutePath().normalize());
    System.exit(check.run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    List<Path> published = publishedModules(root);
    if (published.isEmpty()) {
      problems.add(
          "no published module: no target/bom.xml under " + root + " (run with -Prelease)");
    }
    int jarModules = 0;
    for (Path module : published) {
      if (checkModule(module)) {
        jarModules++;
      }
    }
    System.out.println(
        "[release-check] "
            + published.size()
            + " published modules ("
            + jarModules
            + " jars with sources, javadoc and SBOM): "
            + names(published));
    if (problems.isEmpty()) {
      reproduce(published);
    }
    if (!problems.isEmpty()) {
      System.out.println("[release-check] FAILED, " + problems.size() + " problem(s):");
      problems.forEach(p -> System.out.println("[release-check]   " + p));
      return false;
    }
    return true;
  }

  /** The module directories under {@code dir} that hold an SBOM, in path order. */
  private List<Path> publishedModules(Path dir) throws IOException {
    List<Path> modules = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (!d.equals(dir) && NOT_SOURCES.contains(d.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (Files.isRegularFile(d.resolve("pom.xml"))
                && (Files.isRegularFile(d.resolve("target/bom.xml"))
                    || sourcesJar(d.resolve("target")) != null)) {
              modules.add(d);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    modules.sort(null);
    return modules;
  }

  /**
   * Checks one published module's artifacts and SBOM.
   *
   * @return whether it is a jar module
   */
  private boolean checkModule(Path module) throws Exception {
    Path target = module.resolve("target");
    Path sources = sourcesJar(target);
    String base; // artifactId-version, the start of every artifact's file name
    boolean jar;
    if (Files.isRegularFile(target.resolve("bom.xml"))) {
      Element bom = xml(target.resolve("bom.xml"));
      Element component = child(child(bom, "metadata"), "component");
      base = text(component, "name") + "-" + text(component, "version");
      jar = text(component, "purl").endsWith("?type=jar");
      for (Element dependency : children(child(bom, "components"), "component")) {
        Element licenses = child(dependency, "licenses");
        if (licenses == null || licenses.getTextContent().isBlank()) {
          problems.add(
              base
                  + ": the SBOM names no licence for "
                  + text(dependency, "group")
                  + ":"
                  + text(dependency, "name")
                  + ":"
                  + text(dependency, "version"));
        }
      }
    } else {
      String name = sources.getFileName().toString();
      base = name.substring(0, name.length() - "-sources.jar".length());
      jar = true;
      problems.add(
          root.relativize(target)
              + ": no SBOM (bom.xml); CycloneDX's makeBom skips itself when"
              + " Maven runs offline: run the release build without -o");
    }
    if (jar) {
      for (String classifier : List.of("", "-sources", "-javadoc")) {
        Path file = target.resolve(base + classifier + ".jar");
        if (!Files.isRegularFile(file)) {
          problems.add(base + ": no " + root.relativize(file));
        }
      }
    }
    try (Stream<Path> files = Files.list(target)) {
      for (Path file :
          files
              .filter(
                  f -> f.getFileName().toString().startsWith(base) && f.toString().endsWith(".jar"))
              .sorted()
              .collect(Collectors.toList())) {
        checkLicenceFiles(file);
      }
    }
    return jar;
  }

  /**
   * The module's sources jar, made by the release profile for published jar modules only; or null.
   */
  private static Path sourcesJar(Path target) {
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-sources.jar"))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null; // no target directory: not built, so not published by this build
    }
  }

  private void checkLicenceFiles(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String name : List.of("LICENSE", "NOTICE")) {
        ZipEntry entry = zip.getEntry("META-INF/" + name);
        if (entry == null) {
          problems.add(root.relativize(jar) + ": no META-INF/" + name);
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          if (!Arrays.equals(in.readAllBytes(), Files.readAllBytes(root.resolve(name)))) {
            problems.add(
                root.relativize(jar)
                    + ": META-INF/"
                    + name
                    + " differs from the repository's "
                    + name);
          }
        }
      }
    }
  }

  /** Builds the published modules again in a copy of the sources and compares their outputs. */
  private void reproduce(List<Path> published) throws Exception {
    Path copy = work.resolve("rebuild");
    deleteTree(copy);
    copySources(root, copy);
    String modules =
        published.stream()
            .map(m -> root.relativize(m).toString())
            .map(m -> m.isEmpty() ? "." : m)
            .collect(Collectors.joining(","));
    Path log = work.resolve("rebuild.log");
    // online, as CycloneDX requires; everything it needs is in the local repository after the first
    // build
    List<String> command =
        List.of(
            "./mvnw",
            "-B",
            "-ntp",
            "-Prelease",
            "-Dgpg.skip",
            "-DskipTests",
            "-Djapicmp.skip",
            "-Drelease.check.skip",
            "package",
            "-pl",
            modules,
            "-am");
    System.out.println(
        "[release-check] second build in "
            + root.relativize(copy)
            + " (log: "
            + root.relativize(log)
            + "): "
            + String.join(" ", command));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(copy.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // the same JDK as the first build: javac and javadoc output depend on it
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      problems.add("the second build did not finish in 30 minutes; see " + log);
      return;
    }
    if (process.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
      problems.add("the second build failed (exit " + process.exitValue() + "); see " + log);
      return;
    }
    int identical = 0;
    for (Path module : published) {
      Path first = module.resolve("target");
      Path second = copy.resolve(root.relativize(module)).resolve("target");
      for (Path file : compared(first)) {
        Path other = second.resolve(file.getFileName());
        if (!Files.isRegularFile(other)) {
          problems.add(root.relativize(file) + ": the second build made no such file");
        } else if (Files.mismatch(file, other) != -1) {
          problems.add(
              root.relativize(file)
                  + " differs between two builds"
                  + differingEntries(file, other));
        } else {
          identical++;
        }
      }
      for (Path file : compared(second)) {
        if (!Files.exists(first.resolve(file.getFileName()))) {
          problems.add(
              root.relativize(first.resolve(file.getFileName()))
                  + ": only the second build made it");
        }
      }
    }
    System.out.println(
        "[release-check] reproducible: " + identical + " files byte-identical in two builds");
    if (!problems.isEmpty()) {
      problems.add(
          "the second build ran in a fresh copy: if the first did not start from clean, stale output"
              + " (e.g. javadoc pages of removed classes) also differs; compare again after ./mvnw -Prelease clean verify");
    }
  }

  private static List<Path> compared(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> COMPARED_SUFFIXES.stream().anyMatch(s -> f.getFileName().toString().endsWith(s)))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /**
   * For two jars that differ, the entries that differ (content or metadata), to say where to look.
   */
  private static String differingEntries(Path a, Path b) {
    if (!a.toString().endsWith(".jar")) {
      return "";
    }
    try {
      Map<String, String> first = entries(a);
      Map<String, String> second = entries(b);
      Set<String> names = new TreeSet<>(first.keySet());
      names.addAll(second.keySet());
      List<String> differing =
          names.stream()
              .filter(n -> !String.valueOf(first.get(n)).equals(String.valueOf(second.get(n))))
              .collect(Collectors.toList());
      if (differing.isEmpty()) {
        return " (same entries and contents: the archive's own layout differs)";
      }
      return " in "
          + differing.size()
          + " entries, e.g. "
          + differing.stream()
              .limit(5)
              .map(n -> n + " [" + first.get(n) + " vs " + second.get(n) + "]")
              .collect(Collectors.joining(", "));
    } catch (IOException e) {
      return " (unreadable: " + e.getMessage() + ")";
    }
  }

  private static Map<String, String> entries(Path jar) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().collect(Collectors.toList())) {
        try (InputStream in = zip.getInputStream(entry)) {
          entries.put(
              entry.getName(),
              "time " + entry.getTime() + ", " + Arrays.hashCode(in.readAllBytes()));
        }
      }
    }
    return entries;
  }

  private static void copySources(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(from) && NOT_SOURCES.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              Files.copy(
                  file,
                  to.resolve(from.relativize(file).toString()),
                  StandardCopyOption.COPY_ATTRIBUTES,
                  LinkOption.NOFOLLOW_LINKS);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted((x, y) -> y.compareTo(x))
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private String names(List<Path> modules) {
    return modules.stream()
        .map(m -> m.equals(root) ? "." : root.relativize(m).toString())
        .collect(Collectors.joining(", "));
  }

  private static Element xml(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        found.add((Element) n);
      }
    }
    return found;
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? "" : e.getTextContent().trim();
  }
}

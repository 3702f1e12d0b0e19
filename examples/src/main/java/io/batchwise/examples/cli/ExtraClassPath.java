package io.batchwise.examples.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The jars of {@code --classpath}: third-party providers, tokenizers, caches or schedulers that the
 * command line finds through {@link ServiceLoader} once they are on its class path.
 *
 * <p>The value reads like {@code java -cp}: entries separated by {@value File#pathSeparator}, each
 * a jar, a directory of classes, or {@code DIR/*} for every jar in a directory; relative paths are
 * resolved against the working directory. A missing entry is a usage error naming it, since a typo
 * would otherwise only show up later as "no provider with id ...".
 */
final class ExtraClassPath {
  private ExtraClassPath() {}

  /**
   * A class loader over the entries, delegating to {@code parent} first, so the Batchwise API the
   * plugins implement is the command line's own.
   *
   * @param spec the entries
   * @param parent the command line's class loader
   * @return the loader; close it after the command
   * @throws CliException a usage error naming an entry that does not exist or a directory that
   *     cannot be listed
   */
  static URLClassLoader open(String spec, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    for (String entry : spec.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      boolean everyJar = entry.equals("*") || entry.endsWith(File.separator + "*");
      Path path = BatchwiseCli.absolute(everyJar ? entry.substring(0, entry.length() - 1) : entry);
      if (!Files.exists(path)) {
        throw CliException.usage("--classpath: " + path + " does not exist");
      }
      if (everyJar) {
        jarsIn(path).forEach(jar -> urls.add(url(jar)));
      } else {
        urls.add(url(path));
      }
    }
    return new URLClassLoader("batchwise-classpath", urls.toArray(URL[]::new), parent);
  }

  private static List<Path> jarsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw CliException.usage("--classpath: cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw CliException.usage("--classpath: " + path + " is not a usable path: " + e.getMessage());
    }
  }
}

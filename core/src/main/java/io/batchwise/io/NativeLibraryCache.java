package io.batchwise.io;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native libraries that a Java library ships in its jar and would extract to a new temporary file
 * in every process (ONNX Runtime's 28 MB {@code libonnxruntime.so}, SQLite's {@code
 * libsqlitejdbc.so}), kept instead in a per-user directory: inflated once, and in every later
 * process checked against the CRC-32 and size that the jar's central directory records for it, then
 * handed to the library through its own "load from this directory" system property.
 *
 * <p>The directory, {@code $XDG_CACHE_HOME/batchwise/native} (else {@code
 * ~/.cache/batchwise/native}), holds one subdirectory per set of libraries, named by a hash of
 * their resource names, CRCs and sizes, so another version of a jar gets its own. It is created
 * owner-only ({@link OwnerOnly}); a directory or file someone else could have written is not used,
 * nor a file whose bytes do not match the jar's entry (its CRC-32 is computed on every use: a few
 * milliseconds, against inflating the library). Files are written whole under a temporary name and
 * moved into place ({@link AtomicFile}), so a concurrent process never loads a half-written
 * library. When anything fails the caller leaves the library to its own loader, which extracts it
 * as before. Stateless; thread-safe.
 */
public final class NativeLibraryCache {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCache.class);

  private NativeLibraryCache() {}

  /**
   * The per-user directory: {@code $XDG_CACHE_HOME/batchwise/native}, else under {@code ~/.cache}.
   *
   * @return the directory
   */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("batchwise").resolve("native");
  }

  /**
   * The processor architecture when this is Linux on one of the two architectures the bindings kept
   * here ship libraries for.
   *
   * @return {@code x86_64} or {@code aarch64}, or empty on another system or processor
   */
  public static Optional<String> linuxArchitecture() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") || arch.equals("x86_64")
        ? Optional.of("x86_64")
        : arch.equals("aarch64") ? Optional.of("aarch64") : Optional.empty();
  }

  /**
   * The directory holding the given class-path resources under their own file names, extracted now
   * if this is their first use.
   *
   * @param root the cache's directory, e.g. {@link #defaultDir()}
   * @param loader the class loader that sees the resources (the library's)
   * @param resources the resource names, e.g. {@code
   *     ai/onnxruntime/native/linux-x64/libonnxruntime.so}
   * @return the directory, or empty (logged at debug level) when a resource is missing or not in a
   *     jar, or the directory cannot be used
   */
  public static Optional<Path> extract(Path root, ClassLoader loader, List<String> resources) {
    try {
      List<Entry> entries = new ArrayList<>();
      for (String resource : resources) {
        Optional<Entry> entry = entry(loader, resource);
        if (entry.isEmpty()) {
          LOG.debug(
              "{} is not in a jar on the class path; its library extracts it itself", resource);
          return Optional.empty();
        }
        entries.add(entry.get());
      }
      Path dir = root.resolve(hash(entries));
      OwnerOnly.createDirectories(root);
      OwnerOnly.createDirectories(dir);
      for (Entry entry : entries) {
        Path file = dir.resolve(entry.fileName());
        if (!matches(file, entry)) {
          write(entry, file);
        }
      }
      return Optional.of(dir);
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "native libraries {} not kept in {} ({}); their library extracts them itself",
          resources,
          root,
          e.toString());
      return Optional.empty();
    }
  }

  /** A resource and what its jar records for it. */
  private record Entry(String resource, URL url, long crc, long size) {
    String fileName() {
      return resource.substring(resource.lastIndexOf('/') + 1);
    }
  }

  private static Optional<Entry> entry(ClassLoader loader, String resource) throws IOException {
    URL url = loader.getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    Optional<String> fingerprint = JarEntries.fingerprint(url);
    if (fingerprint.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = fingerprint.get().substring(JarEntries.PREFIX.length()).split("/");
    return Optional.of(
        new Entry(resource, url, Long.parseLong(parts[0], 16), Long.parseLong(parts[1])));
  }

  /**
   * Whether the file is there, only its owner could have written it, and its bytes are the entry's.
   */
  private static boolean matches(Path file, Entry entry) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Optional<String> unsafe = OwnerOnly.othersCanWrite(file);
    if (unsafe.isPresent()) {
      LOG.warn("{}; extracting the library again", unsafe.get());
      return false;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.size()) {
      return false;
    }
    CRC32 crc = new CRC32();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue() == entry.crc();
  }

  private static void write(Entry entry, Path file) throws IOException {
    try (AtomicFile out = AtomicFile.create(file)) {
      URLConnection connection = entry.url().openConnection();
      connection.setUseCaches(false);
      try (InputStream in = connection.getInputStream()) {
        in.transferTo(out.stream()); // unbuffered: commit() forces and closes it
      }
      OwnerOnly.restrict(out.temporary());
      if (!matches(out.temporary(), entry)) {
        throw new IOException(
            "the extracted " + entry.resource() + " does not match its jar entry");
      }
      out.commit();
    }
  }

  private static String hash(List<Entry> entries) {
    StringBuilder key = new StringBuilder();
    for (Entry e : entries) {
      key.append(e.resource())
          .append('\0')
          .append(Long.toHexString(e.crc()))
          .append('\0')
          .append(e.size())
          .append('\n');
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}

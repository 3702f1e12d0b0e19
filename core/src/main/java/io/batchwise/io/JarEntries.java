package io.batchwise.io;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** What a jar records about one of its entries, read without inflating the entry. Stateless. */
public final class JarEntries {
  /** The start of every fingerprint. */
  public static final String PREFIX = "crc32:";

  private JarEntries() {}

  /**
   * The CRC-32 and size the jar's central directory records for a class-path resource: computed
   * over the whole uncompressed content when the jar was written, so they follow any change of its
   * bytes, and read with a directory lookup instead of inflating the entry. No defence against a
   * deliberate collision, and none is needed where this is used: whoever can rewrite a jar on the
   * class path can run code in the process anyway.
   *
   * @param url the resource's URL
   * @return {@code crc32:<hex>/<size>}, or empty when the resource is not in a jar or the jar
   *     records neither
   * @throws IOException when the jar cannot be read
   */
  public static Optional<String> fingerprint(URL url) throws IOException {
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return Optional.empty();
    }
    jar.setUseCaches(false); // opens (and closes) a JarFile of its own: nothing stays open
    try (JarFile file = jar.getJarFile()) {
      JarEntry entry = file.getJarEntry(jar.getEntryName());
      if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
        return Optional.empty();
      }
      return Optional.of(PREFIX + Long.toHexString(entry.getCrc()) + "/" + entry.getSize());
    }
  }
}

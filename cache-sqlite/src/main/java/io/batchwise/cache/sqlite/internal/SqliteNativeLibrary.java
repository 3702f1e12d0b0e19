package io.batchwise.cache.sqlite.internal;

import io.batchwise.io.NativeLibraryCache;
import java.util.List;

/**
 * Keeps sqlite-jdbc's native library in the per-user {@link NativeLibraryCache} instead of letting
 * the driver extract it again in every process: its loader lists the whole temporary directory for
 * stale copies, runs {@code uname} in a child process to rule out Android, and writes a new copy to
 * {@code /tmp}, which together cost a command-line run that is answered from the cache most of its
 * time beyond start-up. Pointing the driver's own properties ({@code org.sqlite.lib.path}, {@code
 * org.sqlite.lib.name}, and {@code org.sqlite.tmpdir} for its sweep) at the kept copy skips all
 * three. Only for the glibc Linux builds the jar ships: should the kept copy not load (a musl
 * system), the driver goes on to its own extraction. A user's own {@code org.sqlite.lib.path} is
 * left alone.
 */
final class SqliteNativeLibrary {
  private static final String LIBRARY = "libsqlitejdbc.so";
  private static boolean done;

  private SqliteNativeLibrary() {}

  /** Sets the driver's properties to the kept copy, once per JVM, before the driver first loads. */
  static synchronized void keep() {
    if (done || System.getProperty("org.sqlite.lib.path") != null) {
      done = true;
      return;
    }
    done = true; // once, whatever happens: a failure leaves the driver to extract its own copy
    NativeLibraryCache.linuxArchitecture()
        .flatMap(
            arch ->
                NativeLibraryCache.extract(
                    NativeLibraryCache.defaultDir(),
                    SqliteNativeLibrary.class.getClassLoader(),
                    List.of("org/sqlite/native/Linux/" + arch + "/" + LIBRARY)))
        .ifPresent(
            dir -> {
              System.setProperty("org.sqlite.lib.path", dir.toString());
              System.setProperty("org.sqlite.lib.name", LIBRARY);
              if (System.getProperty("org.sqlite.tmpdir") == null) {
                System.setProperty(
                    "org.sqlite.tmpdir", dir.toString()); // its sweep for stale copies lists this
              }
            });
  }
}

package io.batchwise.cache.sqlite.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates files only their owner can read ({@code rw-------}) in directories only their owner can
 * enter ({@code rwx------}), since cached texts' embeddings can reveal the texts.
 */
final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * Creates {@code file} (and missing parent directories) readable by its owner only, unless it
   * exists; warns when an existing file is readable by others.
   *
   * @param file the file
   * @throws UncheckedIOException when it cannot be created
   */
  static void createIfAbsent(Path file) {
    Path absolute = file.toAbsolutePath();
    boolean posix =
        Files.getFileAttributeView(existingAncestor(absolute), PosixFileAttributeView.class)
            != null;
    try {
      Path parent = absolute.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (posix) {
          Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
          Files.createDirectories(parent);
        }
      }
      if (posix) {
        Files.createFile(absolute, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      } else {
        Files.createFile(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      warnIfShared(absolute, posix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cache file " + absolute + ": " + e, e);
    }
  }

  private static Path existingAncestor(Path p) {
    Path current = p;
    while (current != null && !Files.exists(current)) {
      current = current.getParent();
    }
    return current == null ? p.getRoot() : current;
  }

  private static void warnIfShared(Path file, boolean posix) {
    if (!posix) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_FILE.containsAll(perms)) {
        LOG.warn(
            "cache file {} is accessible to others ({}); cached embeddings can reveal the texts"
                + " they came from: chmod 600 it",
            file,
            PosixFilePermissions.toString(perms));
      }
    } catch (IOException e) {
      LOG.debug("cannot read the permissions of {}", file, e);
    }
  }
}

package io.batchwise.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Directories and files of a per-user cache that hold something later loaded as code or data (an
 * optimized model graph, a native library): created so that only their owner can enter or read
 * them, and checked before use that nobody else could have written them. Where the file system has
 * no POSIX permissions, its own access control applies and nothing is checked. Stateless;
 * thread-safe.
 */
public final class OwnerOnly {
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private OwnerOnly() {}

  /**
   * Creates {@code dir} and its missing parents owner-only, unless it exists.
   *
   * @param dir the directory
   * @return the directory
   * @throws IOException when it cannot be created, or exists and others could write it
   */
  public static Path createDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      } else {
        Files.createDirectories(dir);
      }
    }
    Optional<String> unsafe = othersCanWrite(dir);
    if (unsafe.isPresent()) {
      throw new IOException(unsafe.get());
    }
    return dir;
  }

  /**
   * Makes a file readable and writable by its owner only, where the file system has POSIX
   * permissions.
   *
   * @param file the file
   * @throws IOException when the permissions cannot be set
   */
  public static void restrict(Path file) throws IOException {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /**
   * Why someone other than this process's user could have written {@code path}: it is a symbolic
   * link, belongs to another user, or is writable by its group or by others.
   *
   * @param path a file or directory
   * @return the reason, naming the path, or empty when only its owner, this user, can write it
   */
  public static Optional<String> othersCanWrite(Path path) {
    if (Files.isSymbolicLink(path)) {
      return Optional.of(path + " is a symbolic link");
    }
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return Optional.empty();
    }
    try {
      PosixFileAttributes attributes = view.readAttributes();
      String me = System.getProperty("user.name");
      if (!attributes.owner().getName().equals(me)) {
        return Optional.of(path + " belongs to " + attributes.owner().getName() + ", not to " + me);
      }
      Set<PosixFilePermission> permissions = attributes.permissions();
      for (PosixFilePermission p : WRITABLE_BY_OTHERS) {
        if (permissions.contains(p)) {
          return Optional.of(
              path
                  + " can be written by others ("
                  + PosixFilePermissions.toString(permissions)
                  + ")");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("the permissions of " + path + " cannot be read (" + e + ")");
    }
  }
}

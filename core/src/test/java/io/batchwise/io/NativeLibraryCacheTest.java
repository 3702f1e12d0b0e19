package io.batchwise.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native libraries kept in a per-user directory: extracted once, checked against the jar on every
 * use.
 */
class NativeLibraryCacheTest {
  private static final String RESOURCE = "native/linux-x64/libdemo.so";

  /** A jar holding one entry of the given bytes, and a class loader over it. */
  private static URLClassLoader jar(Path file, byte[] bytes) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new JarEntry(RESOURCE));
      out.write(bytes);
      out.closeEntry();
    }
    return new URLClassLoader(new URL[] {file.toUri().toURL()}, null);
  }

  private static byte[] bytes(long seed) {
    byte[] b = new byte[200_000];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  @DisplayName(
      "extracted once, owner-only; a later use finds it without writing; a damaged copy is written again")
  void extractsOnceAndRepairs(@TempDir Path work) throws IOException {
    byte[] library = bytes(1);
    Path root = work.resolve("cache").resolve("native");
    try (URLClassLoader loader = jar(work.resolve("a.jar"), library)) {
      Path dir = NativeLibraryCache.extract(root, loader, List.of(RESOURCE)).orElseThrow();
      Path file = dir.resolve("libdemo.so");
      assertThat(file).hasBinaryContent(library);
      assertThat(perms(file)).isEqualTo("rw-------");
      assertThat(perms(dir)).isEqualTo("rwx------");
      assertThat(perms(root)).isEqualTo("rwx------");
      try (var listing = Files.list(dir)) {
        assertThat(listing).as("no temporary file left").containsExactly(file);
      }

      FileTime written = FileTime.fromMillis(1_000_000L);
      Files.setLastModifiedTime(file, written);
      assertThat(NativeLibraryCache.extract(root, loader, List.of(RESOURCE))).contains(dir);
      assertThat(Files.getLastModifiedTime(file))
          .as("a matching copy is not written again")
          .isEqualTo(written);

      // same size, one byte flipped: the CRC check catches it
      byte[] damaged = library.clone();
      damaged[12_345] ^= 0x40;
      Files.write(file, damaged);
      assertThat(NativeLibraryCache.extract(root, loader, List.of(RESOURCE))).contains(dir);
      assertThat(file).hasBinaryContent(library);

      // a copy others could have written is replaced by an owner-only one
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
      assertThat(NativeLibraryCache.extract(root, loader, List.of(RESOURCE))).contains(dir);
      assertThat(perms(file)).isEqualTo("rw-------");
      assertThat(file).hasBinaryContent(library);
    }
  }

  @Test
  @DisplayName(
      "another version of the jar gets its own directory; a resource outside a jar is left to its library")
  void anotherJarAnotherDirectory(@TempDir Path work) throws IOException {
    Path root = work.resolve("native");
    Path first;
    try (URLClassLoader loader = jar(work.resolve("v1.jar"), bytes(1))) {
      first = NativeLibraryCache.extract(root, loader, List.of(RESOURCE)).orElseThrow();
    }
    try (URLClassLoader loader = jar(work.resolve("v2.jar"), bytes(2))) {
      Path second = NativeLibraryCache.extract(root, loader, List.of(RESOURCE)).orElseThrow();
      assertThat(second).isNotEqualTo(first);
      assertThat(second.resolve("libdemo.so")).hasBinaryContent(bytes(2));
      assertThat(NativeLibraryCache.extract(root, loader, List.of("native/missing.so"))).isEmpty();
    }

    Path classes =
        Files.createDirectories(work.resolve("classes").resolve("native").resolve("linux-x64"));
    Files.write(classes.resolve("libdemo.so"), bytes(3));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {work.resolve("classes").toUri().toURL()}, null)) {
      assertThat(NativeLibraryCache.extract(root, loader, List.of(RESOURCE)))
          .isEqualTo(Optional.empty());
    }
  }

  @Test
  @DisplayName("a cache directory others can write is not used")
  void aSharedDirectoryIsNotUsed(@TempDir Path work) throws IOException {
    Path root = Files.createDirectories(work.resolve("shared"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (URLClassLoader loader = jar(work.resolve("a.jar"), bytes(1))) {
      assertThat(NativeLibraryCache.extract(root, loader, List.of(RESOURCE))).isEmpty();
    }
    try (var listing = Files.list(root)) {
      assertThat(listing).isEmpty();
    }
  }
}

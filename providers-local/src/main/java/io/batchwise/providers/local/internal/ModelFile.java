package io.batchwise.providers.local.internal;

import io.batchwise.config.ConfigurationException;
import io.batchwise.io.JarEntries;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of a model: a resource at the root of a model jar on the classpath, or a file on disk.
 *
 * @param resource the classpath resource name, or null for a file
 * @param path the file, or null for a resource
 * @param artifact the Maven coordinates that ship the resource, for "add this jar" messages; null
 *     for files
 */
record ModelFile(String resource, Path path, String artifact) {

  /** Checks that exactly one of resource and path is given. */
  ModelFile {
    if ((resource == null) == (path == null)) {
      throw new IllegalArgumentException("exactly one of resource and path must be given");
    }
  }

  /**
   * A resource shipped in a model jar.
   *
   * @param name the resource name at the jar root
   * @param artifact the jar's coordinates
   * @return the model file
   */
  static ModelFile resource(String name, String artifact) {
    return new ModelFile(Objects.requireNonNull(name), null, Objects.requireNonNull(artifact));
  }

  /**
   * A file on disk.
   *
   * @param path the file
   * @return the model file
   */
  static ModelFile file(Path path) {
    return new ModelFile(null, path.toAbsolutePath().normalize(), null);
  }

  /**
   * Whether the resource is on the classpath or the file exists.
   *
   * @return true when it can be opened
   */
  boolean exists() {
    return path != null ? Files.isRegularFile(path) : url() != null;
  }

  /**
   * A key that identifies the file within this JVM, for sharing what was loaded from it.
   *
   * @return {@code classpath:<name>} or {@code file:<absolute path>}
   */
  String key() {
    return path != null ? "file:" + path : "classpath:" + resource;
  }

  /**
   * Opens the file.
   *
   * @return a stream the caller closes
   * @throws ConfigurationException when it does not exist; the message names the jar to add or the
   *     path
   * @throws IOException when reading fails
   */
  InputStream open() throws IOException {
    if (path != null) {
      requireExists();
      return Files.newInputStream(path);
    }
    return connection().getInputStream();
  }

  /**
   * Reads the whole file into a direct buffer, so that a 90 MB model never lands on the Java heap.
   *
   * @return a direct buffer, positioned at 0
   * @throws IOException when reading fails
   */
  ByteBuffer readDirect() throws IOException {
    long size;
    URLConnection connection = null;
    if (path != null) {
      requireExists();
      size = Files.size(path);
    } else {
      connection = connection();
      size = connection.getContentLengthLong();
    }
    if (size < 0 || size > Integer.MAX_VALUE) {
      byte[] bytes;
      try (InputStream in = open()) {
        bytes = in.readAllBytes();
      }
      return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect((int) size);
    try (InputStream in =
            connection != null ? connection.getInputStream() : Files.newInputStream(path);
        ReadableByteChannel channel = Channels.newChannel(in)) {
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read until full
      }
    }
    if (buffer.hasRemaining()) {
      throw new IOException(
          describe() + " ended after " + buffer.position() + " of " + size + " bytes");
    }
    return buffer.flip();
  }

  /**
   * What identifies the file's bytes without reading them again: for a file (or a resource in a
   * classpath directory) its SHA-256, hashed once per path, size and modification time in a JVM (a
   * directory model's revision hashed it already); for a resource in a jar, the CRC-32 and the size
   * that the jar's central directory records for it ({@link JarEntries#fingerprint}), which costs a
   * directory lookup instead of inflating a 90 MB graph.
   *
   * @return e.g. {@code sha256:<hex>} or {@code crc32:<hex>/<size>}, or empty when the resource is
   *     neither in a jar nor a file
   * @throws IOException when the file or the jar cannot be read
   */
  Optional<String> fingerprint() throws IOException {
    if (path != null) {
      requireExists();
      return Optional.of("sha256:" + DirectoryModel.scan(path).sha256());
    }
    URL url = url();
    if (url == null) {
      requireExists(); // throws, naming the jar to add
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Optional.of("sha256:" + DirectoryModel.scan(Path.of(url.toURI())).sha256());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return JarEntries.fingerprint(url);
  }

  /**
   * Where the file is, for messages.
   *
   * @return the path, or the resource with its artifact
   */
  String describe() {
    return path != null
        ? path.toString()
        : "classpath resource " + resource + " (from " + artifact + ")";
  }

  /**
   * Checks that the file can be opened, without reading it.
   *
   * @throws ConfigurationException when it cannot: the message names the jar to add, or the path
   */
  void requireExists() {
    if (path != null && !Files.isRegularFile(path)) {
      throw new ConfigurationException("model file " + path + " does not exist or is not a file");
    }
    if (path == null && url() == null) {
      throw new ConfigurationException(
          "the classpath has no "
              + resource
              + ": add the dependency "
              + artifact
              + ":"
              + LocalProviders.modelJarVersion()
              + " (with an exclusion of *:* to take only the model files)");
    }
  }

  private URLConnection connection() throws IOException {
    requireExists();
    URLConnection connection = url().openConnection();
    connection.setUseCaches(false); // do not keep the jar open through the JarURLConnection cache
    return connection;
  }

  private URL url() {
    URL url = ModelFile.class.getClassLoader().getResource(resource);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (url == null && context != null) {
      url = context.getResource(resource);
    }
    return url;
  }
}

package io.batchwise.providers.local.internal;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.batchwise.io.AtomicFile;
import io.batchwise.io.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory where ONNX Runtime's optimized graph of each model is saved on its first load, to
 * be loaded from on later ones ({@code local.optimized-model-dir}).
 *
 * <p>A file's name is the model's id and a hash of what decides the optimized graph: the model
 * file's fingerprint ({@link ModelFile#fingerprint()}), the ONNX Runtime version and the
 * optimization level. A changed model or another runtime therefore looks for another file, and
 * nothing in a file is read to decide whether it fits. A file is written under a temporary name and
 * moved into place once complete ({@link AtomicFile}), so that a process never loads a half-written
 * one; two processes that save at once each write their own temporary file and the last move wins,
 * with identical content.
 *
 * <p>Files are created readable by their owner only ({@code rw-------}) in a directory only the
 * owner can enter ({@code rwx------}), like the embedding caches. A graph is code for ONNX Runtime,
 * so a directory or file that someone else could write (or a symbolic link) is not loaded from: the
 * model is then loaded from its own file, with a warning. Stateless apart from its directory;
 * thread-safe.
 */
final class OptimizedModelStore {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizedModelStore.class);

  /**
   * The level the saved graph is optimized at: every graph rewrite that does not depend on the CPU.
   * ONNX Runtime's level above it adds layout rewrites for the CPU it runs on, which would tie a
   * saved file to one machine (a home directory may be shared by several), and which change nothing
   * in the transformer encoders this provider runs.
   */
  static final OptLevel SAVED_LEVEL = OptLevel.EXTENDED_OPT;

  /** The level a saved graph is loaded at: it is optimized already. */
  static final OptLevel LOADED_LEVEL = OptLevel.NO_OPT;

  /** Changes when the way files are named or written changes, so that older files are not taken. */
  private static final String LAYOUT = "batchwise-optimized-onnx-1";

  private final Path dir;

  /**
   * @param dir the directory; created on the first save
   */
  OptimizedModelStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /**
   * The directory.
   *
   * @return the absolute directory
   */
  Path dir() {
    return dir;
  }

  /**
   * The file that holds, or will hold, the optimized graph of a model for an ONNX Runtime version.
   *
   * @param spec the model
   * @param runtimeVersion the ONNX Runtime version, e.g. {@code 1.29.0}
   * @return the file, or empty when the model's bytes have no fingerprint (a resource neither in a
   *     jar nor a file) or cannot be read
   */
  Optional<Path> file(ModelSpec spec, String runtimeVersion) {
    Optional<String> fingerprint;
    try {
      fingerprint = spec.model().fingerprint();
    } catch (IOException e) {
      LOG.warn(
          "could not fingerprint {} ({}); its optimized graph is not saved",
          spec.model().describe(),
          e.toString());
      return Optional.empty();
    }
    if (fingerprint.isEmpty()) {
      LOG.debug("{} has no fingerprint; its optimized graph is not saved", spec.model().describe());
      return Optional.empty();
    }
    String key = LAYOUT + '\n' + fingerprint.get() + '\n' + runtimeVersion + '\n' + SAVED_LEVEL;
    String name = spec.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-");
    return Optional.of(dir.resolve(name + "-" + sha256(key).substring(0, 32) + ".onnx"));
  }

  /**
   * Whether a saved graph may be loaded: it is a regular file (not a symbolic link) and, where the
   * file system has POSIX permissions, it and its directory belong to this user and nobody else can
   * write them. Says why in a warning when the file is there but may not be loaded.
   *
   * @param file a file from {@link #file}
   * @return true when the file is there and may be loaded
   */
  boolean loadable(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      LOG.warn("{} is not a regular file; the model is loaded from its own file instead", file);
      return false;
    }
    String unsafe =
        OwnerOnly.othersCanWrite(dir).or(() -> OwnerOnly.othersCanWrite(file)).orElse(null);
    if (unsafe != null) {
      LOG.warn("{}; the optimized model there is not loaded: chmod go-w it", unsafe);
      return false;
    }
    return true;
  }

  /**
   * Opens the temporary file the optimized graph is written to, creating the directory (owner-only)
   * when missing.
   *
   * @param file a file from {@link #file}
   * @return the temporary file; {@link #commit} moves it into place
   * @throws IOException when the directory or the file cannot be created, or others could write the
   *     directory (a graph saved there could be replaced)
   */
  AtomicFile create(Path file) throws IOException {
    OwnerOnly.createDirectories(dir);
    return AtomicFile.create(file);
  }

  /**
   * Makes the written graph readable by its owner only and moves it into place.
   *
   * @param written the file from {@link #create}, after ONNX Runtime wrote the graph to its
   *     temporary file
   * @throws IOException when the graph was not written, or the file cannot be moved into place
   */
  void commit(AtomicFile written) throws IOException {
    Path temporary = written.temporary();
    if (temporary == null || Files.size(temporary) == 0) {
      throw new IOException("ONNX Runtime wrote no optimized model to " + temporary);
    }
    OwnerOnly.restrict(temporary);
    written.commit();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}

package io.batchwise.providers.local.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.batchwise.config.ConfigurationException;
import io.batchwise.providers.local.Pooling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a model from a directory: {@code model.onnx} (or {@code onnx/model.onnx}, the HuggingFace
 * layout) and {@code tokenizer.json}, plus the settings a sentence-transformers export writes
 * beside them when present — {@code modules.json} (is there a {@code Normalize} module, where is
 * the {@code Pooling} module), the pooling module's {@code config.json}, {@code
 * sentence_bert_config.json} ({@code max_seq_length}) and the transformer's {@code config.json}
 * ({@code max_position_embeddings}).
 *
 * <p>Without those files: mean pooling, normalized, and the model's position count (512 when
 * unknown). The options {@code local.pooling}, {@code local.normalize} and {@code
 * local.max-sequence-length} override whatever is read here.
 *
 * <p>The model's revision is a hash of every file read here, so that a model changed in place never
 * shares cache entries with its former self. Each file is hashed once per (path, size, modification
 * time) in a JVM: reading the model again, unchanged, reads none of its bytes for the hash.
 */
final class DirectoryModel {
  private static final int UNKNOWN_POSITIONS = 512;

  /** Scans by file stamp: a file is read for its hash only when it is new or has changed. */
  private static final ConcurrentHashMap<Stamp, Scan> SCANS = new ConcurrentHashMap<>();

  /** Files read for their hash, for tests. */
  static final AtomicLong FILES_SCANNED = new AtomicLong();

  private DirectoryModel() {}

  /**
   * Reads the model in {@code dir}.
   *
   * @param dir an existing directory
   * @return the spec; its id is the directory's name and a hash of the ONNX file, so that a cache
   *     never mixes vectors of two different models that live in directories of the same name
   * @throws ConfigurationException when a required file is missing or a settings file is malformed
   */
  static ModelSpec read(Path dir) {
    Path model = dir.resolve("model.onnx");
    if (!Files.isRegularFile(model)) {
      model = dir.resolve("onnx").resolve("model.onnx");
    }
    if (!Files.isRegularFile(model)) {
      throw new ConfigurationException(
          "model directory " + dir + " has no model.onnx (nor onnx/model.onnx)");
    }
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new ConfigurationException("model directory " + dir + " has no tokenizer.json");
    }
    List<Path> read = new ArrayList<>(List.of(model, tokenizer));
    Pooling pooling = Pooling.MEAN;
    boolean normalize = true;
    JsonObject modules = readJson(dir.resolve("modules.json"), read);
    if (modules != null) {
      normalize =
          false; // a sentence-transformers model normalizes only when it lists a Normalize module
      for (JsonElement module : modules.getAsJsonArray("modules")) {
        String type = string(module.getAsJsonObject(), "type");
        if (type != null && type.endsWith(".Normalize")) {
          normalize = true;
        } else if (type != null && type.endsWith(".Pooling")) {
          String path = string(module.getAsJsonObject(), "path");
          pooling =
              pooling(dir.resolve(path == null ? "1_Pooling" : path).resolve("config.json"), read);
        }
      }
    } else if (Files.isRegularFile(dir.resolve("1_Pooling").resolve("config.json"))) {
      pooling = pooling(dir.resolve("1_Pooling").resolve("config.json"), read);
    }
    int positions = UNKNOWN_POSITIONS;
    JsonObject config = readJson(dir.resolve("config.json"), read);
    if (config != null && config.has("max_position_embeddings")) {
      positions = config.get("max_position_embeddings").getAsInt();
    }
    int maxLength = positions;
    JsonObject st = readJson(dir.resolve("sentence_bert_config.json"), read);
    if (st != null && st.has("max_seq_length")) {
      maxLength = Math.min(st.get("max_seq_length").getAsInt(), positions);
    }
    Scan scan = scan(model);
    // the vector length is left unknown (so the graph loads with the provider): config.json's
    // hidden size is a token vector's length, but an export may answer with another output (a
    // pooled, projected one)
    int dimensions = 0;
    String id =
        dir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-")
            + "-"
            + scan.hashPrefix();
    return new ModelSpec(
        id,
        ModelFile.file(model),
        ModelFile.file(tokenizer),
        pooling,
        normalize,
        maxLength,
        positions,
        dimensions,
        scan.dynamicallyQuantized() ? 1 : Integer.MAX_VALUE,
        revision(dir, read));
  }

  /** A hash of each file's path within the directory and its contents' hash. */
  private static String revision(Path dir, List<Path> files) {
    TreeMap<String, String> hashes = new TreeMap<>();
    for (Path f : files) {
      hashes.put(dir.relativize(f).toString().replace('\\', '/'), scan(f).sha256());
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      hashes.forEach(
          (name, hash) ->
              digest.update((name + '\0' + hash + '\n').getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static Pooling pooling(Path config, List<Path> read) {
    JsonObject json = readJson(config, read);
    if (json == null) {
      return Pooling.MEAN;
    }
    if (flag(json, "pooling_mode_cls_token")) {
      return Pooling.CLS;
    }
    if (flag(json, "pooling_mode_mean_tokens")) {
      return Pooling.MEAN;
    }
    throw new ConfigurationException(
        config
            + " asks for a pooling this provider does not implement (only mean and cls); set the"
            + " option 'local.pooling' to mean or cls to use the model anyway");
  }

  private static boolean flag(JsonObject json, String name) {
    return json.has(name) && json.get(name).getAsBoolean();
  }

  private static String string(JsonObject json, String name) {
    JsonElement e = json.get(name);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** Reads a JSON file if it exists, adding it to {@code read}. */
  private static JsonObject readJson(Path file, List<Path> read) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    read.add(file);
    try {
      JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
      if (root.isJsonArray()) { // modules.json is a bare array
        JsonObject wrapper = new JsonObject();
        wrapper.add("modules", root);
        return wrapper;
      }
      return root.getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    } catch (JsonParseException | IllegalStateException e) {
      throw new ConfigurationException(file + " is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * What one pass over a file tells: its SHA-256, and whether (for an ONNX file) it quantizes
   * activations per batch.
   */
  record Scan(String sha256, boolean dynamicallyQuantized) {
    /** The first 8 hex digits of the hash, for model ids. */
    String hashPrefix() {
      return sha256.substring(0, 8);
    }
  }

  /** A file as it is now: a changed file has another size or modification time. */
  private record Stamp(Path path, long size, FileTime modified) {}

  /** The operator whose per-batch scale makes a text's vector depend on its batch neighbours. */
  private static final byte[] DYNAMIC_QUANTIZE =
      "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);

  /**
   * Scans a file, or returns the scan of it made earlier in this JVM if its size and modification
   * time are unchanged.
   *
   * @param file the file
   * @return its scan
   */
  static Scan scan(Path file) {
    Stamp stamp;
    try {
      Path real = file.toRealPath();
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
      stamp = new Stamp(real, attributes.size(), attributes.lastModifiedTime());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    return SCANS.computeIfAbsent(stamp, s -> hash(s.path()));
  }

  private static Scan hash(Path file) {
    FILES_SCANNED.incrementAndGet();
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      byte[] buffer = new byte[1 << 16];
      int keep = DYNAMIC_QUANTIZE.length - 1; // a match may straddle two reads
      int filled = 0;
      boolean found = false;
      int n;
      while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
        filled += n;
        found = found || indexOf(buffer, filled, DYNAMIC_QUANTIZE) >= 0;
        if (filled > keep) {
          System.arraycopy(buffer, filled - keep, buffer, 0, keep);
          filled = keep;
        }
      }
      return new Scan(
          HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()), found);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

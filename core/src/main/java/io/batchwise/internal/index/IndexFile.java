package io.batchwise.internal.index;

import io.batchwise.index.IndexFormatException;
import io.batchwise.index.IndexIdentity;
import io.batchwise.io.AtomicFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index file format, version {@value #VERSION}. All numbers big-endian:
 *
 * <pre>
 * magic       8 bytes  'B' 'W' 'I' 'X' 0x0D 0x0A 0x1A 0x0A   (line-ending mangling shows up as a bad magic)
 * version     int      1
 * dimensions  int
 * count       int      entries
 * properties  int n, then n × (string key, string value): the vectors' identity, see below
 * entries     count × (string id, int m, m × (string key, string value))
 * vectors     count × dimensions floats (IEEE 754), unit length, in entry order
 * checksum    int      CRC32 of every byte before it
 * string      int byte length, then that many bytes of UTF-8
 * </pre>
 *
 * <p>The properties hold the {@link IndexIdentity} and nothing else: {@code embedder.provider},
 * {@code embedder.model}, {@code embedder.dimensions} and {@code embedder.<attribute>} for each
 * attribute it knows (an allowlist; an empty pooling or max sequence length, which earlier versions
 * wrote for "the model's own", reads as unknown). Reading takes exactly those keys and ignores any
 * other, with one warning per file: a file is data, and a property that configured an embedder (as
 * the {@code option.*} ones older command lines wrote did) must never reach one.
 *
 * <p>Reading checks the magic and version, then the checksum of the whole file, and only then
 * parses, so a corrupt length can never make it allocate a huge array. Writing goes through an
 * {@link AtomicFile}: a temporary file beside the target, forced to disk, then moved into place; a
 * failed or stopped write deletes it and leaves the previous file as it was.
 */
public final class IndexFile {
  private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);

  /** The prefix of every identity property. */
  static final String IDENTITY_PREFIX = "embedder.";

  static final String PROVIDER_KEY = IDENTITY_PREFIX + "provider";
  static final String MODEL_KEY = IDENTITY_PREFIX + "model";
  static final String DIMENSIONS_KEY = IDENTITY_PREFIX + "dimensions";

  /**
   * Attributes that files of earlier versions wrote empty to mean "the model's own", which they did
   * not name: read as unknown, so that such a file still matches an embedder that names its value.
   */
  private static final Set<String> EMPTY_IS_UNKNOWN =
      Set.of(IndexIdentity.POOLING, IndexIdentity.MAX_SEQUENCE_LENGTH);

  /** How many ignored keys a warning names; the count says the rest. */
  private static final int KEYS_NAMED = 5;

  /** How much of an ignored key a warning shows. */
  private static final int KEY_CHARS_SHOWN = 60;

  static final byte[] MAGIC = {'B', 'W', 'I', 'X', 0x0D, 0x0A, 0x1A, 0x0A};
  static final int VERSION = 1;
  private static final int HEADER_BYTES = MAGIC.length + 4 * 3;
  private static final int CHECKSUM_BYTES = 4;
  private static final int CHUNK_FLOATS = 16 * 1024;

  private IndexFile() {}

  /**
   * Writes an index.
   *
   * @param file the destination
   * @param dimensions the vector length
   * @param vectors at least {@code ids.size() × dimensions} floats
   * @param count the number of entries
   * @param ids each entry's id
   * @param metadata each entry's metadata
   * @param identity the vectors' identity, or null
   * @throws IOException when the file cannot be written
   */
  static void write(
      Path file,
      int dimensions,
      float[] vectors,
      int count,
      List<String> ids,
      List<Map<String, String>> metadata,
      IndexIdentity identity)
      throws IOException {
    try (AtomicFile atomic = AtomicFile.create(file)) {
      CRC32 crc = new CRC32();
      BufferedOutputStream buffered = new BufferedOutputStream(atomic.stream(), 1 << 16);
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(dimensions);
      out.writeInt(count);
      writeMap(out, identity == null ? Map.of() : properties(identity));
      for (int i = 0; i < count; i++) {
        writeString(out, ids.get(i));
        writeMap(out, metadata.get(i));
      }
      writeFloats(out, vectors, count * dimensions);
      out.flush();
      new DataOutputStream(buffered).writeInt((int) crc.getValue());
      buffered.flush();
      atomic.commit();
    }
  }

  /** The identity as file properties. */
  static Map<String, String> properties(IndexIdentity identity) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(PROVIDER_KEY, identity.provider());
    out.put(MODEL_KEY, identity.model());
    out.put(DIMENSIONS_KEY, Integer.toString(identity.dimensions()));
    identity.attributes().forEach((name, value) -> out.put(IDENTITY_PREFIX + name, value));
    return out;
  }

  private static void writeFloats(DataOutputStream out, float[] data, int n) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
    for (int off = 0; off < n; off += CHUNK_FLOATS) {
      int len = Math.min(CHUNK_FLOATS, n - off);
      bytes.clear();
      bytes.asFloatBuffer().put(data, off, len);
      out.write(bytes.array(), 0, len * Float.BYTES);
    }
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /**
   * Reads an index, logging the warning about ignored properties.
   *
   * @param file the file
   * @return the index
   * @throws IndexFormatException when it is not an index, of an unknown version, or corrupt
   * @throws IOException when it cannot be read
   */
  public static FlatVectorIndex read(Path file) throws IOException {
    return read(file, LOG::warn);
  }

  /**
   * Reads an index.
   *
   * @param file the file
   * @param warning receives the one warning about ignored properties, if any
   * @return the index
   * @throws IndexFormatException when it is not an index, of an unknown version, or corrupt
   * @throws IOException when it cannot be read
   */
  public static FlatVectorIndex read(Path file, Consumer<String> warning) throws IOException {
    long size = Files.size(file);
    if (size < HEADER_BYTES + CHECKSUM_BYTES) {
      try (InputStream in = Files.newInputStream(file)) {
        checkMagic(file, in.readNBytes(MAGIC.length));
      }
      throw new IndexFormatException(
          file + ": the file is truncated (" + size + " bytes, shorter than an empty index)");
    }
    verifyChecksum(file, size);
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      Reader r = new Reader(file, in, size - CHECKSUM_BYTES, warning);
      return r.readIndex();
    } catch (EOFException e) {
      throw new IndexFormatException(file + ": the file ends before its declared contents", e);
    }
  }

  private static void checkMagic(Path file, byte[] magic) throws IndexFormatException {
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IndexFormatException(file + ": not a Batchwise index file (bad magic bytes)");
    }
  }

  private static void checkVersion(Path file, int version) throws IndexFormatException {
    if (version > VERSION) {
      throw new IndexFormatException(
          file
              + ": index format version "
              + version
              + " is newer than this library reads ("
              + VERSION
              + "); upgrade batchwise-core");
    }
    if (version < 1) {
      throw new IndexFormatException(file + ": unknown index format version " + version);
    }
  }

  /** Checks the magic and version, then the CRC32 of every byte but the last four against them. */
  private static void verifyChecksum(Path file, long size) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] head = in.readNBytes(MAGIC.length + 4);
      checkMagic(file, Arrays.copyOf(head, MAGIC.length));
      checkVersion(file, ByteBuffer.wrap(head, MAGIC.length, 4).getInt());
      crc.update(head);
      long remaining = size - CHECKSUM_BYTES - head.length;
      byte[] buf = new byte[1 << 16];
      while (remaining > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) {
          throw new EOFException();
        }
        crc.update(buf, 0, n);
        remaining -= n;
      }
      int stored = ByteBuffer.wrap(in.readNBytes(CHECKSUM_BYTES)).getInt();
      if (stored != (int) crc.getValue()) {
        throw new IndexFormatException(
            String.format(
                Locale.ROOT,
                "%s: checksum mismatch (stored %08x, computed %08x): the file is corrupt or was cut short",
                file,
                stored,
                (int) crc.getValue()));
      }
    }
  }

  /**
   * The one line that says which properties of a file were ignored (keys only: values may hold
   * secrets).
   */
  static String ignoredWarning(Path file, Collection<String> keys) {
    StringJoiner named = new StringJoiner(", ");
    keys.stream().limit(KEYS_NAMED).forEach(k -> named.add(printable(k)));
    String more = keys.size() > KEYS_NAMED ? " and " + (keys.size() - KEYS_NAMED) + " more" : "";
    return file
        + ": ignored "
        + keys.size()
        + (keys.size() == 1 ? " property" : " properties")
        + " that "
        + (keys.size() == 1 ? "is" : "are")
        + " not part of the vectors' identity ("
        + named
        + more
        + "); an index file never configures the embedder";
  }

  /** A key as a warning may show it: printable ASCII, no URL user info, cut short. */
  private static String printable(String key) {
    String shown = key.replaceAll("[^\\x20-\\x7e]", "?").replaceAll("//[^/@]*@", "//****@");
    return shown.length() <= KEY_CHARS_SHOWN ? shown : shown.substring(0, KEY_CHARS_SHOWN) + "...";
  }

  /** Parses the body of a file whose checksum is already verified. */
  private static final class Reader {
    private final Path file;
    private final DataInputStream in;
    private final long end;
    private final Consumer<String> warning;
    private long position;

    Reader(Path file, DataInputStream in, long end, Consumer<String> warning) {
      this.file = file;
      this.in = in;
      this.end = end;
      this.warning = warning;
    }

    FlatVectorIndex readIndex() throws IOException {
      byte[] magic = in.readNBytes(MAGIC.length);
      checkMagic(file, magic);
      position += MAGIC.length;
      checkVersion(file, readInt());
      int dimensions = readInt();
      int count = readInt();
      if (dimensions < 1 || dimensions > io.batchwise.index.VectorIndex.MAX_DIMENSIONS) {
        throw corrupt("dimensions " + dimensions + " out of range");
      }
      if (count < 0 || (long) count * dimensions * Float.BYTES > end - position) {
        throw corrupt("entry count " + count + " does not fit the file's size");
      }
      IndexIdentity identity = identity(readMap(), dimensions);
      List<String> ids = new ArrayList<>(count);
      List<Map<String, String>> metadata = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(readString());
        metadata.add(Map.copyOf(readMap()));
      }
      long vectorBytes = (long) count * dimensions * Float.BYTES;
      if (vectorBytes != end - position) {
        throw corrupt("expected " + vectorBytes + " bytes of vectors, found " + (end - position));
      }
      float[] vectors = readFloats(count * dimensions);
      try {
        return FlatVectorIndex.restore(dimensions, vectors, ids, metadata, identity);
      } catch (IllegalArgumentException e) {
        throw corrupt(e.getMessage());
      }
    }

    /**
     * The identity from the allowlisted properties; every other property is ignored, with one
     * warning (as are identity properties without both a provider and a model). A file written
     * before dimensions were recorded gets the header's.
     */
    private IndexIdentity identity(Map<String, String> properties, int dimensions)
        throws IndexFormatException {
      Map<String, String> rest = new LinkedHashMap<>(properties);
      String provider = rest.remove(PROVIDER_KEY);
      String model = rest.remove(MODEL_KEY);
      String dims = rest.remove(DIMENSIONS_KEY);
      TreeMap<String, String> attributes = new TreeMap<>();
      for (String name : IndexIdentity.ATTRIBUTES) {
        String value = rest.remove(IDENTITY_PREFIX + name);
        if (value != null && !(value.isEmpty() && EMPTY_IS_UNKNOWN.contains(name))) {
          attributes.put(name, value);
        }
      }
      IndexIdentity identity = null;
      if (provider != null && model != null) {
        if (dims != null && !dims.equals(Integer.toString(dimensions))) {
          throw corrupt(
              "the identity's dimensions '" + dims + "' are not the index's " + dimensions);
        }
        try {
          identity = new IndexIdentity(provider, model, dimensions, attributes);
        } catch (IllegalArgumentException e) {
          throw corrupt("identity: " + e.getMessage());
        }
      } else {
        // without both a provider and a model, the rest identifies nothing: ignored like any other
        // key
        properties.keySet().stream()
            .filter(k -> k.startsWith(IDENTITY_PREFIX))
            .forEach(k -> rest.put(k, ""));
      }
      if (!rest.isEmpty()) {
        warning.accept(ignoredWarning(file, rest.keySet()));
      }
      return identity;
    }

    private IndexFormatException corrupt(String what) {
      return new IndexFormatException(file + ": invalid index contents: " + what);
    }

    private int readInt() throws IOException {
      position += 4;
      return in.readInt();
    }

    private String readString() throws IOException {
      int len = readInt();
      if (len < 0 || len > end - position) {
        throw corrupt("string length " + len + " at byte " + (position - 4) + " out of range");
      }
      byte[] b = in.readNBytes(len);
      if (b.length < len) {
        throw new EOFException();
      }
      position += len;
      return new String(b, StandardCharsets.UTF_8);
    }

    private Map<String, String> readMap() throws IOException {
      int n = readInt();
      if (n < 0 || (long) n * 8 > end - position) {
        throw corrupt("map size " + n + " at byte " + (position - 4) + " out of range");
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(readString(), readString());
      }
      return map;
    }

    private float[] readFloats(int n) throws IOException {
      float[] out = new float[n];
      byte[] buf = new byte[CHUNK_FLOATS * Float.BYTES];
      ByteBuffer bytes = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
      for (int off = 0; off < n; off += CHUNK_FLOATS) {
        int len = Math.min(CHUNK_FLOATS, n - off);
        in.readFully(buf, 0, len * Float.BYTES);
        bytes.clear();
        bytes.asFloatBuffer().get(out, off, len);
      }
      position += (long) n * Float.BYTES;
      return out;
    }
  }
}

package io.batchwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Index files written by hand from the documented format (version 1), not by the library: a test
 * can put any properties in one, as an older version or a crafted, shared file would, and read back
 * the properties a saved file holds.
 */
public final class RawIndexFile {
  private static final byte[] MAGIC = {'B', 'W', 'I', 'X', 0x0D, 0x0A, 0x1A, 0x0A};

  private RawIndexFile() {}

  /**
   * Writes an index file.
   *
   * @param file where
   * @param dimensions the vector length
   * @param properties the file's properties, in order
   * @param ids the entries' ids
   * @param metadata each entry's metadata
   * @param vectors each entry's vector (written as given: the library stores unit vectors)
   * @throws IOException when writing fails
   */
  public static void write(
      Path file,
      int dimensions,
      Map<String, String> properties,
      List<String> ids,
      List<Map<String, String>> metadata,
      List<float[]> vectors)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(1);
    out.writeInt(dimensions);
    out.writeInt(ids.size());
    writeMap(out, properties);
    for (int i = 0; i < ids.size(); i++) {
      writeString(out, ids.get(i));
      writeMap(out, metadata.get(i));
    }
    for (float[] v : vectors) {
      for (float f : v) {
        out.writeFloat(f);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    Files.write(file, bytes.toByteArray());
  }

  /**
   * The properties of an index file, read from its bytes.
   *
   * @param file an index file
   * @return its properties, in file order
   * @throws IOException when reading fails
   */
  public static Map<String, String> properties(Path file) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
    b.position(MAGIC.length + 12);
    int n = b.getInt();
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(readString(b), readString(b));
    }
    return out;
  }

  private static String readString(java.nio.ByteBuffer b) {
    byte[] s = new byte[b.getInt()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
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
}

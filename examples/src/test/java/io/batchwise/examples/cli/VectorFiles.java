package io.batchwise.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.Batchwise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readers of the output formats, written from their specifications, and the reference vectors. */
final class VectorFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VectorFiles() {}

  static List<JsonNode> jsonl(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  static float[] vector(JsonNode record) {
    JsonNode e = record.get("embedding");
    float[] v = new float[e.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) e.get(i).doubleValue();
    }
    return v;
  }

  /** The rows of a .npy file (version 1.0, little-endian float32, C order), checking the header. */
  static List<float[]> npy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    b.get(magic);
    if (!new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")
        || (magic[0] & 0xff) != 0x93) {
      throw new IOException("bad npy magic");
    }
    if (b.get() != 1 || b.get() != 0) {
      throw new IOException("not npy version 1.0");
    }
    int headerLen = b.getShort() & 0xffff;
    String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
    if ((10 + headerLen) % 64 != 0 || !header.endsWith("\n")) {
      throw new IOException("npy header not padded to 64 bytes: " + header);
    }
    if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
      throw new IOException("unexpected npy header: " + header);
    }
    Matcher m = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
    if (!m.find()) {
      throw new IOException("no shape in " + header);
    }
    int rows = Integer.parseInt(m.group(1));
    int cols = Integer.parseInt(m.group(2));
    b.position(10 + headerLen);
    if (b.remaining() != rows * cols * 4) {
      throw new IOException("data size " + b.remaining() + " does not match the shape");
    }
    List<float[]> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      float[] v = new float[cols];
      b.asFloatBuffer().get(v);
      b.position(b.position() + cols * 4);
      out.add(v);
    }
    return out;
  }

  /** The vectors of an .fvecs file: per vector, a little-endian int32 dimension then the floats. */
  static List<float[]> fvecs(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<float[]> out = new ArrayList<>();
    while (b.hasRemaining()) {
      int d = b.getInt();
      float[] v = new float[d];
      for (int i = 0; i < d; i++) {
        v[i] = b.getFloat();
      }
      out.add(v);
    }
    return out;
  }

  /**
   * The vectors the hashing provider gives the texts, each embedded on its own, through Batchwise.
   */
  static List<float[]> reference(int dimensions, List<String> texts) {
    try (Batchwise bw =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("hashing")
            .option("hashing.dimensions", Integer.toString(dimensions))
            .build()) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        out.add(bw.embedder().embed(t));
      }
      return out;
    }
  }
}

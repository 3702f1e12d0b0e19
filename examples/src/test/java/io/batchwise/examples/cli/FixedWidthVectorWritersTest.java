package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matrix formats ({@link NpyVectorWriter}, {@link FvecsVectorWriter}) reuse one row buffer:
 * every row is written exactly, byte for byte, and a vector that does not fill a row is refused
 * instead of carrying the previous row's tail into the file. npy writes rows before their count is
 * known and puts the count into its header at the end.
 */
class FixedWidthVectorWritersTest {
  private static final int DIMS = 5;
  @TempDir Path dir;

  /** Rows that differ in every float, with edge values (negative zero, a subnormal, extremes). */
  private static List<float[]> rows() {
    Random random = new Random(42);
    List<float[]> rows = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      float[] v = new float[DIMS];
      for (int d = 0; d < DIMS; d++) {
        v[d] =
            Float.intBitsToFloat(
                random.nextInt() & 0x7f7fffff | (random.nextBoolean() ? 0x80000000 : 0));
      }
      rows.add(v);
    }
    rows.add(new float[] {-0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1f, 0f});
    return rows;
  }

  /** An output held in memory whose start can be written over, as a file's can. */
  private static final class MemoryFile extends ByteArrayOutputStream {
    void rewriteStart(byte[] bytes) {
      assertThat(bytes.length).as("the rewrite fits what was written").isLessThanOrEqualTo(count);
      System.arraycopy(bytes, 0, buf, 0, bytes.length);
    }
  }

  private static InputRecord input(String id) {
    return new InputRecord(id, "text", "test");
  }

  private static byte[] littleEndian(List<float[]> rows, boolean withDimension) {
    ByteBuffer b = ByteBuffer.allocate(rows.size() * (DIMS + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] v : rows) {
      if (withDimension) {
        b.putInt(DIMS);
      }
      for (float f : v) {
        b.putFloat(f);
      }
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  @Test
  @DisplayName(
      "npy: rows of different content written in sequence read back byte-exact, nothing more")
  void npyRowsAreExact() throws IOException {
    List<float[]> rows = rows();
    Path file = dir.resolve("v.npy");
    MemoryFile bytes = new MemoryFile();
    ByteArrayOutputStream ids = new ByteArrayOutputStream();
    VectorWriter w = VectorWriter.of(OutputFormat.NPY, bytes, bytes::rewriteStart, ids, DIMS);
    int headerBytes = bytes.size();
    byte[] before = bytes.toByteArray();
    for (int i = 0; i < rows.size(); i++) {
      w.write(i, input(i % 2 == 0 ? null : "id" + i), rows.get(i));
    }
    w.finish();
    assertThat(ids.toString(StandardCharsets.UTF_8)).isEqualTo("0\nid1\n2\nid3\n4\nid5\n6\n");
    // the count was not known up front: the header, written first, now declares the rows written
    assertThat(new String(before, StandardCharsets.US_ASCII))
        .contains("'shape': (0, " + DIMS + ")");
    assertThat(new String(bytes.toByteArray(), 0, headerBytes, StandardCharsets.US_ASCII))
        .contains("'shape': (" + rows.size() + ", " + DIMS + ")");
    Files.write(file, bytes.toByteArray());

    byte[] data = Arrays.copyOfRange(bytes.toByteArray(), headerBytes, bytes.size());
    assertThat(data).isEqualTo(littleEndian(rows, false));
    List<float[]> read = VectorFiles.npy(file);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(read.get(i)).as("row %d", i).containsExactly(rows.get(i));
    }
  }

  @Test
  @DisplayName("fvecs: records of different content written in sequence read back byte-exact")
  void fvecsRecordsAreExact() throws IOException {
    List<float[]> rows = rows();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    VectorWriter w = VectorWriter.of(OutputFormat.FVECS, bytes, null, null, DIMS);
    for (int i = 0; i < rows.size(); i++) {
      w.write(i, input("id" + i), rows.get(i));
    }
    w.finish();
    assertThat(bytes.toByteArray()).isEqualTo(littleEndian(rows, true));
  }

  @Test
  @DisplayName(
      "a vector shorter or longer than a row is refused, naming the input; no byte of it is written")
  void aVectorThatDoesNotFillARowIsRefused() throws IOException {
    for (OutputFormat format : List.of(OutputFormat.NPY, OutputFormat.FVECS)) {
      MemoryFile bytes = new MemoryFile();
      VectorWriter w =
          VectorWriter.of(format, bytes, bytes::rewriteStart, new ByteArrayOutputStream(), DIMS);
      w.write(0, input("a"), new float[] {1, 2, 3, 4, 5});
      int afterFirst = bytes.size();
      assertThatThrownBy(() -> w.write(1, input("b"), new float[] {6, 7}))
          .as(format.name())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input 1 (id b)")
          .hasMessageContaining("2 floats")
          .hasMessageContaining("has " + DIMS);
      assertThatThrownBy(() -> w.write(2, input(null), new float[DIMS + 1]))
          .as(format.name())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input 2 has");
      assertThat(bytes.size()).as(format.name()).isEqualTo(afterFirst);
    }
  }
}

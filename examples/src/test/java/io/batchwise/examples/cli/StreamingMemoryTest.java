package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed} streams its input: memory holds the windows in flight, not the input, so two
 * million lines embed in a command line whose heap is 256 MB (far too small to hold them all). A
 * forked JVM, since the heap limit is the point; the {@code hashing} provider keeps it quick.
 */
class StreamingMemoryTest {
  private static final int LINES = 2_000_000;
  private static final int DIMENSIONS = 16;

  @TempDir Path dir;

  /**
   * Short lines: the heap is the point, and the hashing provider's time grows with each line's
   * words.
   */
  private static String text(int i) {
    return "line " + i;
  }

  @Test
  @DisplayName("2,000,000 lines embed with -Xmx256m into a 2,000,000-row npy file, in input order")
  void twoMillionLinesWithA256MegabyteHeap() throws Exception {
    Path in = dir.resolve("in.txt");
    try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LINES; i++) {
        w.write(text(i));
        w.write('\n');
      }
    }
    Path out = dir.resolve("vectors.npy");
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m",
            "-XX:+ExitOnOutOfMemoryError",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            BatchwiseCli.class.getName(),
            "embed",
            "--in",
            in.toString(),
            "--out",
            out.toString(),
            "--provider",
            "hashing",
            "--dimensions",
            Integer.toString(DIMENSIONS),
            "-q");
    ProcessRun r = ProcessRun.of(command, dir, Map.of(), "", dir);
    assertThat(r.code()).as(r.toString()).isZero();

    long rowBytes = (long) DIMENSIONS * Float.BYTES;
    try (RandomAccessFile npy = new RandomAccessFile(out.toFile(), "r")) {
      byte[] start = new byte[10];
      npy.readFully(start);
      int headerLength =
          ByteBuffer.wrap(start, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
      byte[] header = new byte[headerLength];
      npy.readFully(header);
      assertThat(new String(header, StandardCharsets.US_ASCII))
          .contains("'shape': (" + LINES + ", " + DIMENSIONS + ")");
      assertThat(npy.length()).isEqualTo(10 + headerLength + LINES * rowBytes);
      npy.seek(npy.length() - rowBytes);
      byte[] last = new byte[(int) rowBytes];
      npy.readFully(last);
      float[] vector = new float[DIMENSIONS];
      ByteBuffer.wrap(last).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
      assertThat(vector)
          .as("the last row is the last line's vector")
          .containsExactly(VectorFiles.reference(DIMENSIONS, List.of(text(LINES - 1))).get(0));
    }
    long ids = 0;
    String lastId = null;
    try (BufferedReader reader =
        Files.newBufferedReader(dir.resolve("vectors.ids.txt"), StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        ids++;
        lastId = line;
      }
    }
    assertThat(ids).isEqualTo(LINES);
    assertThat(lastId).isEqualTo(Integer.toString(LINES - 1));
  }
}

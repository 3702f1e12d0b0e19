package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A NumPy {@code .npy} file, format version 1.0: the magic {@code \x93NUMPY}, the version, a
 * little-endian uint16 header length, a Python dict literal describing a C-order little-endian
 * float32 matrix of shape (rows, dimensions) padded with spaces so that the data starts at a
 * multiple of 64 bytes, then the rows. {@code numpy.load} reads it. The rows are written as they
 * come, before their number is known: the header is written with room for any row count and
 * rewritten in place with the count by {@link #finish()}. The matrix cannot carry ids, so each
 * row's id (or its position, when the input has none) goes to a text file beside it, one per line.
 */
final class NpyVectorWriter implements VectorWriter {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private final OutputStream out;
  private final Rewrite rewrite;
  private final Writer ids;
  private final ByteBuffer row;
  private final int dimensions;
  private final int headerLength;
  private long written;

  /** Writes bytes over bytes already written, at the start of the file. */
  @FunctionalInterface
  interface Rewrite {
    /**
     * Overwrites the file's first bytes, after flushing what was written so far.
     *
     * @param bytes the new first bytes, as many as were written there before
     * @throws IOException when writing fails
     */
    void start(byte[] bytes) throws IOException;
  }

  /**
   * Writes the header, with room for any row count.
   *
   * @param out the matrix
   * @param rewrite overwrites the header once the row count is known
   * @param ids the ids, one line per row; an id must not hold a line break ({@link #requireIdFits})
   * @param dimensions the row width
   * @throws IOException when the header cannot be written
   */
  NpyVectorWriter(OutputStream out, Rewrite rewrite, OutputStream ids, int dimensions)
      throws IOException {
    this.out = out;
    this.rewrite = rewrite;
    this.ids = new OutputStreamWriter(ids, StandardCharsets.UTF_8);
    this.dimensions = dimensions;
    this.row = ByteBuffer.allocate(dimensions * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    // the longest header any row count needs: every later header is padded to this length
    int unpadded = MAGIC.length + 2 + dict(Long.MAX_VALUE).length() + 1;
    this.headerLength = unpadded + (64 - unpadded % 64) % 64;
    out.write(header(0));
  }

  private String dict(long rows) {
    return "{'descr': '<f4', 'fortran_order': False, 'shape': ("
        + rows
        + ", "
        + dimensions
        + "), }";
  }

  /**
   * The header for {@code rows}: magic, version, length, dict, spaces up to the fixed length,
   * newline.
   */
  private byte[] header(long rows) {
    String dict = dict(rows);
    int textLength = headerLength - MAGIC.length - 2;
    String text = dict + " ".repeat(textLength - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) textLength).put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /**
   * Writes one row of exactly {@code dimensions} floats.
   *
   * @throws IllegalArgumentException when the vector has another length: a shorter one would leave
   *     the previous row's bytes in the buffer's tail, a longer one would not fit the declared
   *     shape
   */
  @Override
  public void write(long index, InputRecord input, float[] vector) throws IOException {
    VectorWriter.requireLength(index, input, vector, dimensions);
    row.clear();
    row.asFloatBuffer().put(vector);
    out.write(row.array(), 0, row.capacity());
    ids.write(input.idText(index));
    ids.write('\n');
    written++;
  }

  /**
   * Checks that an input's id fits on one line of the ids file.
   *
   * @param input the input
   * @param idsFile the ids file, for the message
   * @throws CliException an input error naming the input when its id holds a line break
   */
  static void requireIdFits(InputRecord input, Path idsFile) {
    if (input.id() != null && (input.id().indexOf('\n') >= 0 || input.id().indexOf('\r') >= 0)) {
      throw CliException.input(
          input.origin()
              + ": the id holds a line break, but "
              + idsFile
              + " holds one id per line (use --out-format jsonl)");
    }
  }

  @Override
  public void writeFailure(long index, InputRecord input, String error) {
    throw new UnsupportedOperationException("npy cannot leave a row out");
  }

  @Override
  public boolean recordsFailures() {
    return false;
  }

  /** Flushes the rows and the ids, then writes the row count into the header. */
  @Override
  public void finish() throws IOException {
    out.flush();
    ids.flush();
    rewrite.start(header(written));
  }
}

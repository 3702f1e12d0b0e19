package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A NumPy {@code .npy} file, format version 1.0: the magic {@code \x93NUMPY}, the version, a
 * little-endian uint16 header length, a Python dict literal describing a C-order little-endian
 * float32 matrix of shape (rows, dimensions) padded with spaces so that the data starts at a multiple
 * of 64 bytes, then the rows. {@code numpy.load} reads it. The matrix cannot carry ids, so each
 * row's id (or its position, when the input has none) goes to a text file beside it, one per line.
 */
final class NpyVectorWriter implements VectorWriter {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private final OutputStream out;
  private final Writer ids;
  private final ByteBuffer row;
  private final long rows;
  private final int dimensions;
  private long written;

  /**
   * Writes the header.
   *
   * @param out the matrix
   * @param ids the ids, one line per row; an id must not hold a line break ({@link #requireIdsFit})
   * @param rows the rows that will be written
   * @param dimensions the row width
   * @throws IOException when the header cannot be written
   */
  NpyVectorWriter(OutputStream out, OutputStream ids, long rows, int dimensions) throws IOException {
    this.out = out;
    this.ids = new OutputStreamWriter(ids, StandardCharsets.UTF_8);
    this.rows = rows;
    this.dimensions = dimensions;
    this.row = ByteBuffer.allocate(dimensions * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dimensions + "), }";
    int unpadded = MAGIC.length + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    out.write(MAGIC);
    int len = header.length();
    out.write(len & 0xff);
    out.write((len >>> 8) & 0xff);
    out.write(header.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Writes one row of exactly {@code dimensions} floats.
   *
   * @throws IllegalArgumentException when the vector has another length: a shorter one would leave
   *     the previous row's bytes in the buffer's tail, a longer one would not fit the declared shape
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
   * Checks, before any work, that every id fits on one line of the ids file.
   *
   * @param inputs the inputs
   * @param idsFile the ids file, for the message
   * @throws CliException an input error naming the first input whose id holds a line break
   */
  static void requireIdsFit(List<InputRecord> inputs, Path idsFile) {
    for (InputRecord input : inputs) {
      if (input.id() != null && (input.id().indexOf('\n') >= 0 || input.id().indexOf('\r') >= 0)) {
        throw CliException.input(input.origin() + ": the id holds a line break, but " + idsFile
            + " holds one id per line (use --out-format jsonl)");
      }
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

  @Override
  public void finish() throws IOException {
    if (written != rows) {
      throw new IOException("wrote " + written + " rows; the header declares " + rows);
    }
    out.flush();
    ids.flush();
  }
}

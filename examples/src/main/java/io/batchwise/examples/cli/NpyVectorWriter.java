package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A NumPy {@code .npy} file, format version 1.0: the magic {@code \x93NUMPY}, the version, a
 * little-endian uint16 header length, a Python dict literal describing a C-order little-endian
 * float32 matrix of shape (rows, dimensions) padded with spaces so that the data starts at a multiple
 * of 64 bytes, then the rows. {@code numpy.load} reads it.
 */
final class NpyVectorWriter implements VectorWriter {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private final OutputStream out;
  private final ByteBuffer row;
  private final long rows;
  private final int dimensions;
  private long written;

  NpyVectorWriter(OutputStream out, long rows, int dimensions) throws IOException {
    this.out = out;
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
  public void write(long index, String id, float[] vector) throws IOException {
    VectorWriter.requireLength(index, id, vector, dimensions);
    row.clear();
    row.asFloatBuffer().put(vector);
    out.write(row.array(), 0, row.capacity());
    written++;
  }

  @Override
  public void writeFailure(long index, String id, String error) {
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
  }
}

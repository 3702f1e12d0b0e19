package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code .fvecs} format: per vector, its dimension as a little-endian int32, then its float32s.
 */
final class FvecsVectorWriter implements VectorWriter {
  private final OutputStream out;
  private final ByteBuffer record;
  private final int dimensions;

  FvecsVectorWriter(OutputStream out, int dimensions) {
    this.out = out;
    this.dimensions = dimensions;
    this.record =
        ByteBuffer.allocate(Integer.BYTES + dimensions * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Writes one record of exactly {@code dimensions} floats.
   *
   * @throws IllegalArgumentException when the vector has another length (its record would carry the
   *     previous vector's tail, or not fit)
   */
  @Override
  public void write(long index, InputRecord input, float[] vector) throws IOException {
    VectorWriter.requireLength(index, input, vector, dimensions);
    record.clear();
    record.putInt(dimensions);
    record.asFloatBuffer().put(vector);
    out.write(record.array());
  }

  @Override
  public void writeFailure(long index, InputRecord input, String error) {
    throw new UnsupportedOperationException("fvecs cannot leave a vector out");
  }

  @Override
  public boolean recordsFailures() {
    return false;
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }
}

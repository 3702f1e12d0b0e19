package io.batchwise.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** Writes embeddings in input order in one of the {@link OutputFormat}s. */
interface VectorWriter {

  /**
   * Writes one input's vector.
   *
   * @param index the input's position
   * @param input the input (its id, or its position when it has none, goes with the vector)
   * @param vector the vector
   * @throws IOException when writing fails
   */
  void write(long index, InputRecord input, float[] vector) throws IOException;

  /**
   * Writes one input's failure in its place, for formats that can (JSONL).
   *
   * @param index the input's position
   * @param input the input
   * @param error why it has no vector
   * @throws IOException when writing fails
   */
  void writeFailure(long index, InputRecord input, String error) throws IOException;

  /**
   * Whether {@link #writeFailure} can record a failure (matrix formats cannot leave a row out).
   *
   * @return true for JSONL
   */
  boolean recordsFailures();

  /**
   * Finishes the file (flushes buffered bytes).
   *
   * @throws IOException when writing fails
   */
  void finish() throws IOException;

  /**
   * Checks that a vector fills a fixed-width row exactly (npy and fvecs reuse one row buffer, and
   * their readers take every row to have the header's width).
   *
   * @param index the input's position
   * @param input the input
   * @param vector the vector
   * @param dimensions the width of every row
   * @throws IllegalArgumentException naming the input and both lengths when they differ
   */
  static void requireLength(long index, InputRecord input, float[] vector, int dimensions) {
    if (vector.length != dimensions) {
      throw new IllegalArgumentException(
          "input "
              + index
              + (input.id() != null ? " (id " + input.id() + ")" : "")
              + " has a vector of "
              + vector.length
              + " floats; every row of this file has "
              + dimensions);
    }
  }

  /**
   * A writer of the given format.
   *
   * @param format the format
   * @param out the stream
   * @param rewrite overwrites the start of the file (npy writes its row count into the header at
   *     the end); unused by the other formats, which may pass null
   * @param ids where npy writes one id per row (the matrix cannot hold them); unused by the other
   *     formats, which may pass null
   * @param dimensions the vector length
   * @return the writer
   * @throws IOException when the header cannot be written
   */
  static VectorWriter of(
      OutputFormat format,
      OutputStream out,
      NpyVectorWriter.Rewrite rewrite,
      OutputStream ids,
      int dimensions)
      throws IOException {
    return switch (format) {
      case JSONL -> new JsonlVectorWriter(out);
      case NPY ->
          new NpyVectorWriter(
              out,
              Objects.requireNonNull(rewrite, "rewrite"),
              Objects.requireNonNull(ids, "ids"),
              dimensions);
      case FVECS -> new FvecsVectorWriter(out, dimensions);
    };
  }
}

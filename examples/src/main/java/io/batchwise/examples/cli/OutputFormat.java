package io.batchwise.examples.cli;

import java.nio.file.Path;
import java.util.Locale;

/** The vector file formats {@code embed} writes. */
public enum OutputFormat {
  /** One {@code {"id": ..., "embedding": [...]}} per input, in input order. */
  JSONL,
  /** A NumPy {@code .npy} file: one float32 matrix, one row per input, in input order. */
  NPY,
  /**
   * The {@code .fvecs} format of ANN benchmarks: per vector, an int32 dimension then float32
   * values, little-endian.
   */
  FVECS;

  /**
   * The format a file name implies: {@code .npy}, {@code .fvecs}, otherwise JSONL.
   *
   * @param out the output path
   * @return the format
   */
  static OutputFormat of(Path out) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return NPY;
    }
    if (name.endsWith(".fvecs")) {
      return FVECS;
    }
    return JSONL;
  }
}

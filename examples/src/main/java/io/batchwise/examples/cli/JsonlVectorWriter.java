package io.batchwise.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code {"id": ..., "embedding": [...]}} per line. An id given with the input is written as it was
 * given: a string as that string, a JSON number as the same number; the default id is the input's
 * position, a number. A failed input is {@code {"id": ..., "error": "..."}} in its place. Each
 * float is the shortest decimal that reads back as that float.
 *
 * <p>A record is put together as bytes here rather than through a {@link JsonGenerator}: the
 * generator's per-number path (a string per float, then that string encoded again character by
 * character) is most of a cached rerun's output time while it runs cold, before the JIT compiles
 * it. The texts are Jackson's all the same: its Schubfach writer for each float (the shortest
 * round-trip text on every JDK; JDK 17's {@code Float.toString} is not always the shortest) and its
 * string encoder for ids and errors, so the bytes are those its generator writes ({@code
 * JsonlVectorWriterTest.sameBytesAsJacksonsGenerator}), except that a character outside the BMP (an
 * emoji) in an id or error is its own four UTF-8 bytes rather than two escaped surrogate halves.
 */
final class JsonlVectorWriter implements VectorWriter {
  private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMBEDDING = ",\"embedding\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = ",\"error\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VECTOR_END = "]}\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAILURE_END = "}\n".getBytes(StandardCharsets.US_ASCII);

  /** The longest float text: a sign, nine digits, a point, an exponent {@code E-45}. */
  private static final int MAX_FLOAT_CHARS = 16;

  private final OutputStream out;
  private byte[] buffer = new byte[1 << 16];
  private int used;

  JsonlVectorWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes an input's {@code "id"} field as the outputs of every command write it: a string id as
   * that string, a JSON number as the same number, the input's position when it has none.
   *
   * @param json inside the record's object
   * @param index the input's position
   * @param input the input
   * @throws IOException when writing fails
   */
  static void writeId(JsonGenerator json, long index, InputRecord input) throws IOException {
    json.writeFieldName("id");
    if (input.id() == null) {
      json.writeNumber(index);
    } else if (input.idIsNumber()) {
      json.writeNumber(input.id()); // the number's own JSON text, as read
    } else {
      json.writeString(input.id());
    }
  }

  @Override
  public void write(long index, InputRecord input, float[] vector) throws IOException {
    id(index, input);
    append(EMBEDDING);
    room(vector.length * (MAX_FLOAT_CHARS + 3));
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        buffer[used++] = ',';
      }
      float f = vector[i];
      boolean finite = Float.isFinite(f);
      if (!finite) {
        buffer[used++] = '"'; // as the generator writes NaN and the infinities: quoted
      }
      copyAscii(NumberOutput.toString(f, true)); // digits, sign, point, exponent
      if (!finite) {
        buffer[used++] = '"';
      }
    }
    append(VECTOR_END);
  }

  @Override
  public void writeFailure(long index, InputRecord input, String error) throws IOException {
    id(index, input);
    append(ERROR);
    quoted(error);
    append(FAILURE_END);
  }

  @Override
  public boolean recordsFailures() {
    return true;
  }

  @Override
  public void finish() throws IOException {
    flushBuffer();
    out.flush();
  }

  private void id(long index, InputRecord input) throws IOException {
    append(ID);
    if (input.id() == null) {
      ascii(Long.toString(index));
    } else if (input.idIsNumber()) {
      ascii(input.id()); // the number's own JSON text, as read
    } else {
      quoted(input.id());
    }
  }

  /** A JSON string: quotes around Jackson's escaping of {@code text}, encoded as UTF-8. */
  private void quoted(String text) throws IOException {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    room(escaped.length + 2);
    buffer[used++] = '"';
    System.arraycopy(escaped, 0, buffer, used, escaped.length);
    used += escaped.length;
    buffer[used++] = '"';
  }

  private void ascii(String text) throws IOException {
    room(text.length());
    copyAscii(text);
  }

  /**
   * Copies an ASCII {@code text} into the buffer, which has room for it. {@code
   * String.getBytes(int, int, byte[], int)} keeps the low byte of each char, which is the char
   * itself for ASCII, and copies a string of one-byte chars as one array: in a cold JVM a loop of
   * {@code charAt} per char runs interpreted for most of a cached rerun's floats. It is deprecated
   * because it drops the high byte of other chars, which these texts (numbers) never have.
   */
  @SuppressWarnings("deprecation")
  private void copyAscii(String text) {
    int length = text.length();
    text.getBytes(0, length, buffer, used);
    used += length;
  }

  private void append(byte[] bytes) throws IOException {
    room(bytes.length);
    System.arraycopy(bytes, 0, buffer, used, bytes.length);
    used += bytes.length;
  }

  /** Makes room for {@code n} more bytes: writes out what is held, or grows for a large record. */
  private void room(int n) throws IOException {
    if (buffer.length - used >= n) {
      return;
    }
    flushBuffer();
    if (buffer.length < n) {
      buffer = new byte[n];
    }
  }

  private void flushBuffer() throws IOException {
    out.write(buffer, 0, used);
    used = 0;
  }
}

package io.batchwise.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code {"id": ..., "embedding": [...]}} per line. An id given with the input is written as it was
 * given: a string as that string, a JSON number as the same number; the default id is the input's
 * position, a number. A failed input is {@code {"id": ..., "error": "..."}} in its place. Each
 * float is the shortest decimal that reads back as that float.
 */
final class JsonlVectorWriter implements VectorWriter {
  private final OutputStream out;
  private final JsonGenerator json;

  JsonlVectorWriter(OutputStream out) throws IOException {
    this.out = out;
    // Jackson's Schubfach writer: the shortest round-trip text on every JDK (JDK 17's
    // Float.toString is not always the shortest), and less work per float than Float.toString,
    // which is most of a cached rerun's output time
    this.json =
        JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build()
            .createGenerator(out);
    this.json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    this.json.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
    this.json.setRootValueSeparator(
        null); // each record ends its own line; no space before the next
  }

  private void id(long index, InputRecord input) throws IOException {
    json.writeStartObject();
    writeId(json, index, input);
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
    json.writeFieldName("embedding");
    json.writeStartArray();
    for (float f : vector) {
      json.writeNumber(f);
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeRaw('\n');
  }

  @Override
  public void writeFailure(long index, InputRecord input, String error) throws IOException {
    id(index, input);
    json.writeStringField("error", error);
    json.writeEndObject();
    json.writeRaw('\n');
  }

  @Override
  public boolean recordsFailures() {
    return true;
  }

  @Override
  public void finish() throws IOException {
    json.flush();
    out.flush();
  }
}

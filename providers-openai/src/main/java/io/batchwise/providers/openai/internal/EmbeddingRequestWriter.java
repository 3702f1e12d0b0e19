package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the JSON body of one embeddings request:
 * {@code {"model":…, "input":[…], "encoding_format":"base64"|"float", "dimensions":…, "user":…}}.
 * Immutable and thread-safe.
 */
final class EmbeddingRequestWriter {
  private final JsonFactory json;
  private final String model;
  private final Integer dimensions; // null: not sent
  private final String user;

  EmbeddingRequestWriter(JsonFactory json, String model, Integer dimensions, String user) {
    this.json = json;
    this.model = model;
    this.dimensions = dimensions;
    this.user = user;
  }

  /**
   * The request body for {@code texts}.
   *
   * @param texts the inputs, in order
   * @param base64 whether to ask for base64-encoded vectors
   * @return UTF-8 JSON
   */
  byte[] write(List<String> texts, boolean base64) {
    long chars = 64;
    for (String t : texts) {
      chars += t.length() + 4;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(chars + chars / 8, 1 << 26));
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("input");
      for (String t : texts) {
        g.writeString(t);
      }
      g.writeEndArray();
      g.writeStringField("encoding_format", base64 ? "base64" : "float");
      if (dimensions != null) {
        g.writeNumberField("dimensions", dimensions);
      }
      if (user != null) {
        g.writeStringField("user", user);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e); // cannot happen in memory
    }
    return out.toByteArray();
  }
}

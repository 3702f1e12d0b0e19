package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the JSON body of one embeddings request: {@code {"model":…, "input":[…],
 * "encoding_format":"base64"|"float", "dimensions":…, "user":…}}. Immutable and thread-safe.
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

  /** A written body: the first {@code length} bytes of {@code bytes}, UTF-8 JSON. */
  record Body(byte[] bytes, int length) {}

  /** Hands out its buffer instead of copying it (a 2,048-text body is hundreds of kilobytes). */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    Body body() {
      return new Body(buf, count);
    }
  }

  /**
   * The request body for {@code texts}.
   *
   * @param texts the inputs, in order
   * @param prefix written before each input (the query or document prefix of the call), or empty
   * @param base64 whether to ask for base64-encoded vectors
   * @return UTF-8 JSON, not copied out of the buffer it was written to
   */
  Body write(List<String> texts, String prefix, boolean base64) {
    long chars = 64;
    for (String t : texts) {
      chars += prefix.length() + t.length() + 4;
    }
    Buffer out = new Buffer((int) Math.min(chars + chars / 8, 1 << 26));
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("input");
      for (String t : texts) {
        g.writeString(prefix.isEmpty() ? t : prefix + t);
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
    return out.body();
  }
}

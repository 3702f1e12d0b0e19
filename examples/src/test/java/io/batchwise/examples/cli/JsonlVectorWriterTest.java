package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonlVectorWriter} writes each float as the shortest decimal that reads back as the same
 * float, the same text on every JDK (JDK 17's {@code Float.toString} writes more digits than that
 * for some values; JDK 19 and later write the shortest).
 */
class JsonlVectorWriterTest {
  private static String written(float... vector) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonlVectorWriter writer = new JsonlVectorWriter(bytes);
    writer.write(0, new InputRecord(null, "text", "test"), vector);
    writer.finish();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a float is written as its shortest decimal, the same on every JDK")
  void shortestDecimal() throws IOException {
    // JDK 17 writes 2.82879379E17 for this float: nine digits where eight read back the same
    float needsEightDigits = 2.8287938E17f;
    assertThat(Float.parseFloat("2.8287938E17")).isEqualTo(needsEightDigits);

    assertThat(written(needsEightDigits, 0.062207244f, -5.676027E-4f, 1f, -0.0f))
        .isEqualTo("{\"id\":0,\"embedding\":[2.8287938E17,0.062207244,-5.676027E-4,1.0,-0.0]}\n");
  }

  @Test
  @DisplayName("every float written reads back as exactly the float given")
  void roundTrips() throws IOException {
    Random random = new Random(42);
    float[] vector = new float[2000];
    for (int i = 0; i < vector.length; i++) {
      // every finite bit pattern's neighbourhood: subnormals, extremes, both signs
      vector[i] =
          Float.intBitsToFloat(
              random.nextInt() & 0x7f7fffff | (random.nextBoolean() ? 0x80000000 : 0));
    }
    vector[0] = Float.MIN_VALUE;
    vector[1] = -Float.MAX_VALUE;

    List<String> numbers = new ArrayList<>();
    try (JsonParser json = new JsonFactory().createParser(written(vector))) {
      for (JsonToken t = json.nextToken(); t != null; t = json.nextToken()) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
          numbers.add(json.getText()); // the number as written, not as a double read from it
        }
      }
    }

    assertThat(numbers).hasSize(vector.length);
    for (int i = 0; i < vector.length; i++) {
      assertThat(Float.parseFloat(numbers.get(i)))
          .as("float %d (%s)", i, numbers.get(i))
          .isEqualTo(vector[i]);
    }
  }

  @Test
  @DisplayName("the bytes are those Jackson's generator writes: ids, errors, floats, NaN")
  void sameBytesAsJacksonsGenerator() throws IOException {
    Random random = new Random(7);
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ByteArrayOutputStream jacksons = new ByteArrayOutputStream();
    JsonlVectorWriter writer = new JsonlVectorWriter(ours);
    try (JsonGenerator json =
        JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // a character outside the BMP as its UTF-8 bytes, as ours writes it, not as two
            // escaped surrogate halves: the same JSON string, one spelling
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build()
            .createGenerator(jacksons)) {
      json.setRootValueSeparator(null);
      String[] ids = {
        null, "12", "-3.5e2", "plain", "quote \" and \\ and /", "tab\tnew\nline\u0001", "é ∑ 😀", ""
      };
      for (int r = 0; r < 400; r++) {
        String id = ids[r % ids.length];
        boolean number = r % ids.length == 1 || r % ids.length == 2; // "12" and "-3.5e2"
        InputRecord input = new InputRecord(id, number, "text " + r, "line " + r);
        if (r % 7 == 3) {
          String error = "input " + r + " failed: \"" + ids[(r / 7) % ids.length] + "\"";
          writer.writeFailure(r, input, error);
          json.writeStartObject();
          JsonlVectorWriter.writeId(json, r, input);
          json.writeStringField("error", error);
          json.writeEndObject();
          json.writeRaw('\n');
          continue;
        }
        float[] vector = new float[1 + random.nextInt(1500)]; // some records span the buffer's end
        for (int i = 0; i < vector.length; i++) {
          vector[i] =
              switch (random.nextInt(20)) {
                case 0 -> Float.intBitsToFloat(random.nextInt()); // NaNs and infinities too
                case 1 -> 0f;
                default -> (float) random.nextGaussian() * 0.05f;
              };
        }
        writer.write(r, input, vector);
        json.writeStartObject();
        JsonlVectorWriter.writeId(json, r, input);
        json.writeFieldName("embedding");
        json.writeStartArray();
        for (float f : vector) {
          json.writeNumber(f);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
      }
    }
    writer.finish();

    assertThat(ours.size()).isGreaterThan(1 << 17); // more than the writer's buffer holds
    assertThat(ours.toString(StandardCharsets.UTF_8))
        .isEqualTo(jacksons.toString(StandardCharsets.UTF_8));
  }
}

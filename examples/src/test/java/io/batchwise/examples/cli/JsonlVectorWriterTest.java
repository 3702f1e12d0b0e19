package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
}

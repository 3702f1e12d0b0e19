package io.batchwise.benchmarks.jmh;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.batchwise.benchmarks.BenchmarkMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding an OpenAI-style embeddings response of {@code inputs} vectors of 1,536 dimensions
 * ({@code text-embedding-3-small}): {@code encoding_format=float} (JSON numbers, read one token at
 * a time with Jackson's streaming parser; the baseline) against {@code encoding_format=base64}
 * (little-endian float32 bytes in a base64 string, read through a {@link java.nio.FloatBuffer}),
 * decoded two ways: by Jackson's own binary decoding, and by the JDK's {@link Base64} decoder over
 * the parser's characters (what the {@code openai} provider does). One operation decodes the whole
 * response body.
 *
 * <p>The decoders here are equivalent to the {@code openai} provider's response parser (same
 * technique: streaming tokens, never a tree, Jackson's fast double parser on), which is
 * package-private in its module; they leave out its validation, which costs the same on every path.
 * The setup checks that all three decode to the same vectors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = "-Dlogback.configurationFile=" + BenchmarkMain.LOGGING_CONFIGURATION)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EmbeddingDecodeBenchmark {
  /** Dimensions of {@code text-embedding-3-small}. */
  static final int DIMENSIONS = 1536;

  /** Vectors in one response. */
  @Param({"16", "256"})
  public int inputs;

  /** Configured as the {@code openai} provider configures its own. */
  private final JsonFactory json =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private byte[] floatBody;
  private byte[] base64Body;

  /** Creates the state; JMH calls {@link #setUp()}. */
  public EmbeddingDecodeBenchmark() {}

  /**
   * Writes both response bodies for the same random unit vectors and checks that they decode alike.
   *
   * @throws IOException never (in-memory streams)
   */
  @Setup
  public void setUp() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    float[][] vectors = new float[inputs][DIMENSIONS];
    for (float[] v : vectors) {
      double norm = 0;
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] = (float) random.nextGaussian();
        norm += v[d] * v[d];
      }
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] = (float) (v[d] / Math.sqrt(norm));
      }
    }
    floatBody = body(vectors, false);
    base64Body = body(vectors, true);
    if (!Arrays.deepEquals(decode(floatBody, false), vectors)
        || !Arrays.deepEquals(decode(base64Body, false), vectors)
        || !Arrays.deepEquals(decode(base64Body, true), vectors)) {
      throw new IllegalStateException("a decoder did not return the vectors that were written");
    }
  }

  /**
   * {@code encoding_format=float}.
   *
   * @return the vectors
   * @throws IOException never
   */
  @Benchmark
  @Baseline
  public float[][] jsonFloats() throws IOException {
    return decode(floatBody, false);
  }

  /**
   * {@code encoding_format=base64}, decoded by Jackson ({@code getBinaryValue}).
   *
   * @return the vectors
   * @throws IOException never
   */
  @Benchmark
  public float[][] base64() throws IOException {
    return decode(base64Body, false);
  }

  /**
   * {@code encoding_format=base64}, decoded by the JDK's decoder over the parser's characters, as
   * the provider does.
   *
   * @return the vectors
   * @throws IOException never
   */
  @Benchmark
  public float[][] base64JdkDecoder() throws IOException {
    return decode(base64Body, true);
  }

  private byte[] body(float[][] vectors, boolean base64) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < vectors.length; i++) {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        if (base64) {
          ByteBuffer bytes =
              ByteBuffer.allocate(vectors[i].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          bytes.asFloatBuffer().put(vectors[i]);
          g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes.array(), 0, bytes.capacity());
        } else {
          g.writeStartArray();
          for (float f : vectors[i]) {
            g.writeNumber(f);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", "text-embedding-3-small");
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", 8 * vectors.length);
      g.writeNumberField("total_tokens", 8 * vectors.length);
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Reads {@code data[].embedding} in either format, placed by {@code index}. */
  private float[][] decode(byte[] body, boolean jdkBase64) throws IOException {
    float[][] vectors = new float[inputs][];
    try (JsonParser p = json.createParser(new ByteArrayInputStream(body))) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("data") && value == JsonToken.START_ARRAY) {
          int position = 0;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = position++;
            float[] vector = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (f.equals("index")) {
                index = p.getIntValue();
              } else if (f.equals("embedding") && v == JsonToken.VALUE_STRING) {
                byte[] bytes =
                    jdkBase64
                        ? Base64.getDecoder()
                            .decode(
                                new String(
                                        p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                                    .getBytes(StandardCharsets.ISO_8859_1))
                        : p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
                vector = new float[bytes.length / Float.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
              } else if (f.equals("embedding") && v == JsonToken.START_ARRAY) {
                vector = readFloats(p);
              } else {
                p.skipChildren();
              }
            }
            vectors[index] = vector;
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return vectors;
  }

  private static float[] readFloats(JsonParser p) throws IOException {
    float[] v = new float[DIMENSIONS];
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (n == v.length) {
        v = Arrays.copyOf(v, v.length * 2);
      }
      v[n++] = p.getFloatValue();
    }
    return n == v.length ? v : Arrays.copyOf(v, n);
  }
}

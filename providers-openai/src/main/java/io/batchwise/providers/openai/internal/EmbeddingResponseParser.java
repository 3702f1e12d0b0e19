package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an embeddings response as a stream of JSON tokens, never as a tree: a 2,048-input response
 * can be tens of megabytes, and only the vectors themselves are kept.
 *
 * <p>Accepts {@code embedding} as a base64 string (little-endian float32, as OpenAI sends for
 * {@code encoding_format=base64}) or as an array of numbers, whatever was asked for, and fields in any
 * order. Places each vector by its {@code index} (servers may reorder; an item without an index takes
 * its position in {@code data}) and checks that every input got exactly one vector of the expected
 * length. Thread-safe.
 */
final class EmbeddingResponseParser {
  /** How many missing indexes a message lists before "and N more". */
  private static final int LISTED_MISSING = 10;

  private final JsonFactory json;

  EmbeddingResponseParser(JsonFactory json) {
    this.json = json;
  }

  /** What one response held. */
  record Parsed(List<float[]> vectors, long promptTokens, boolean sawFloatArrays) {}

  /**
   * Parses a response for {@code inputs} inputs of {@code dimensions} each.
   *
   * @param in the response body
   * @param inputs how many inputs the request carried
   * @param dimensions the expected vector length
   * @return the vectors in input order, and the prompt tokens ({@code -1} when not reported)
   * @throws InvalidResponseException when the body is malformed or does not match the request
   * @throws IOException when reading the body fails (timeouts, resets)
   */
  Parsed parse(InputStream in, int inputs, int dimensions)
      throws IOException, InvalidResponseException {
    float[][] vectors = new float[inputs][];
    long promptTokens = -1;
    boolean sawData = false;
    boolean[] sawFloats = {false};
    String errorMessage = null;
    try (JsonParser p = json.createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "the response");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("data") && value == JsonToken.START_ARRAY) {
          sawData = true;
          readData(p, vectors, dimensions, sawFloats);
        } else if (field.equals("usage") && value == JsonToken.START_OBJECT) {
          promptTokens = readPromptTokens(p);
        } else if (field.equals("error")) {
          errorMessage = value == JsonToken.VALUE_STRING ? p.getText() : "(an error object)";
          p.skipChildren();
        } else {
          p.skipChildren();
        }
      }
      expect(p.currentToken(), JsonToken.END_OBJECT, "the response");
    } catch (StreamReadException e) {
      // JsonEOFException (truncated) is a StreamReadException too
      throw new InvalidResponseException(
          "the response is not valid JSON (" + shortMessage(e) + ")",
          true,
          e);
    }
    if (!sawData) {
      throw new InvalidResponseException(
          "the response has no 'data' array"
              + (errorMessage != null ? "; it says: " + errorMessage : ""),
          false,
          null);
    }
    checkComplete(vectors);
    return new Parsed(Arrays.asList(vectors), promptTokens, sawFloats[0]);
  }

  private static void readData(JsonParser p, float[][] vectors, int dimensions, boolean[] sawFloats)
      throws IOException, InvalidResponseException {
    int position = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      expect(p.currentToken(), JsonToken.START_OBJECT, "data[" + position + "]");
      int index = position;
      float[] vector = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
          index = p.getIntValue();
          if (index < 0) {
            throw new InvalidResponseException(
                "data[" + position + "] has index " + index, false, null);
          }
        } else if (field.equals("embedding")) {
          if (value == JsonToken.VALUE_STRING) {
            vector = decodeBase64(p, position);
          } else if (value == JsonToken.START_ARRAY) {
            vector = readFloats(p, dimensions, position);
            sawFloats[0] = true;
          } else {
            throw new InvalidResponseException(
                "data[" + position + "].embedding is " + value + ", not a base64 string or an array",
                false,
                null);
          }
        } else {
          p.skipChildren();
        }
      }
      place(vectors, index, vector, dimensions, position);
      position++;
    }
    if (position != vectors.length) {
      throw new InvalidResponseException(
          "the server returned " + position + " vectors for " + vectors.length + " inputs", false, null);
    }
  }

  private static void place(float[][] vectors, int index, float[] vector, int dimensions, int position)
      throws InvalidResponseException {
    if (vector == null) {
      throw new InvalidResponseException("data[" + position + "] has no 'embedding'", false, null);
    }
    if (index >= vectors.length) {
      throw new InvalidResponseException(
          "data[" + position + "] has index " + index + ", but the request had only "
              + vectors.length + " inputs",
          false,
          null);
    }
    if (vectors[index] != null) {
      throw new InvalidResponseException(
          "the server returned two vectors for input " + index, false, null);
    }
    if (vector.length != dimensions) {
      throw new InvalidResponseException(
          "the vector for input " + index + " has " + vector.length + " dimensions; expected "
              + dimensions + " (check the model and the openai.dimensions option)",
          false,
          null);
    }
    vectors[index] = vector;
  }

  private static float[] decodeBase64(JsonParser p, int position)
      throws IOException, InvalidResponseException {
    char[] chars;
    try {
      chars = p.getTextCharacters(); // reads the whole string; a body that ends inside it throws here
    } catch (JsonEOFException e) {
      throw e; // the body ended inside the string: a truncated response, retryable (see parse)
    }
    try {
      return Base64Floats.decode(chars, p.getTextOffset(), p.getTextLength());
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(
          "data[" + position + "].embedding is not base64 of float32 values (" + e.getMessage() + ")", false, e);
    }
  }

  private static float[] readFloats(JsonParser p, int dimensions, int position)
      throws IOException, InvalidResponseException {
    float[] v = new float[dimensions];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new InvalidResponseException(
            "data[" + position + "].embedding[" + n + "] is " + t + ", not a number", false, null);
      }
      if (n == v.length) {
        v = Arrays.copyOf(v, Math.max(8, v.length * 2));
      }
      v[n++] = p.getFloatValue();
    }
    return n == v.length ? v : Arrays.copyOf(v, n);
  }

  private static long readPromptTokens(JsonParser p) throws IOException {
    long tokens = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("prompt_tokens") && value == JsonToken.VALUE_NUMBER_INT) {
        tokens = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return tokens;
  }

  private static void checkComplete(float[][] vectors) throws InvalidResponseException {
    List<Integer> missing = new ArrayList<>();
    int count = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i] == null) {
        count++;
        if (missing.size() < LISTED_MISSING) {
          missing.add(i);
        }
      }
    }
    if (count > 0) {
      throw new InvalidResponseException(
          "the response has no vector for input" + (count == 1 ? " " : "s ") + missing
              + (count > missing.size() ? " and " + (count - missing.size()) + " more" : ""),
          false,
          null);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String what)
      throws InvalidResponseException {
    if (actual != expected) {
      throw new InvalidResponseException(
          what + " should be " + describe(expected) + " but is "
              + (actual == null ? "missing (the body ended)" : describe(actual)),
          actual == null,
          null);
    }
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_OBJECT:
        return "a JSON object";
      case END_OBJECT:
        return "the end of a JSON object";
      case START_ARRAY:
        return "a JSON array";
      default:
        return t.toString();
    }
  }

  /** The parser's message without the source excerpt Jackson appends (it may quote user text). */
  private static String shortMessage(StreamReadException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    if (m.length() > 200) {
      m = m.substring(0, 200) + "…";
    }
    var loc = e.getLocation();
    return m + (loc != null ? " at byte " + loc.getByteOffset() : "");
  }
}

package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
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
 * {@code encoding_format=base64}) or as an array of numbers, whatever was asked for, and fields in
 * any order. Places each vector by its {@code index} (servers may reorder; an item without an index
 * takes its position in {@code data}) and checks that every input got exactly one finite vector of
 * the expected length; anything else fails the call, never a vector.
 *
 * <p>A hostile or broken answer costs bounded memory and time, because every bound is checked while
 * the body streams in, and the parse stops the moment one is crossed:
 *
 * <ul>
 *   <li>the body, after OkHttp has un-gzipped it, may hold at most {@link #maxBodyBytes(int, int)}
 *       bytes: what the largest well-formed answer for the call can take;
 *   <li>a vector may hold no more numbers (or base64 characters) than the expected dimensions take;
 *   <li>{@code data} may hold no more items than the call had inputs;
 *   <li>a string that is read may be no longer than a vector's base64 text (see {@link
 *       #constraints(int)}); numbers and nesting depth are limited by the JSON parser.
 * </ul>
 *
 * <p>Every failure is an {@link InvalidResponseException} that says whether a retry may help (a
 * body cut short or not JSON: yes; a well-formed answer that does not fit the request, or one past
 * a bound: no, the server would answer the same way). Thread-safe.
 */
final class EmbeddingResponseParser {
  /** How many missing indexes a message lists before "and N more". */
  private static final int LISTED_MISSING = 10;

  /** The most characters of a server's own error text quoted in a message. */
  private static final int MAX_QUOTED = 300;

  /**
   * Bytes one float may take in a body: a float array's longest number ({@code
   * -1.2345678901234567e-05}, 23 characters, as Python prints a double), its comma and room for
   * pretty-printed indentation; a base64 float takes 5⅓ characters, 32 bytes even if every one were
   * written as a {@code \\uXXXX} escape. Generous on purpose: the bound is there to stop a runaway
   * body, not to judge formatting.
   */
  static final int MAX_BODY_BYTES_PER_FLOAT = 64;

  /**
   * Bytes one {@code data} item may take besides its numbers: braces, index, object name,
   * whitespace.
   */
  static final int MAX_BODY_BYTES_PER_ITEM = 4096;

  /**
   * Bytes the rest of a response may take: model name, usage, id and fields a compatible server
   * adds.
   */
  static final int MAX_BODY_BYTES_BESIDES_ITEMS = 1 << 20;

  /**
   * The shortest string limit: error messages and unknown fields may be longer than a tiny vector.
   */
  static final int MIN_STRING_CHARS = 64 * 1024;

  /**
   * How deep a response may nest: an embeddings answer is four levels deep and an error body a few
   * more; deeper is a hostile body, refused before it costs anything.
   */
  static final int MAX_NESTING_DEPTH = 64;

  private final JsonFactory json;

  /**
   * @param json the factory to parse with, from {@link #jsonFactory(int)} for the provider's
   *     dimensions
   */
  EmbeddingResponseParser(JsonFactory json) {
    this.json = json;
  }

  /**
   * The JSON factory for a provider of {@code dimensions}-float vectors, for its answers and error
   * bodies: fast, correctly rounded number parsing for servers that answer float arrays, and the
   * limits of {@link #constraints(int)}.
   *
   * @param dimensions the expected vector length
   * @return the factory; thread-safe
   */
  static JsonFactory jsonFactory(int dimensions) {
    return JsonFactory.builder()
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .streamReadConstraints(constraints(dimensions))
        .build();
  }

  /**
   * The JSON parser's limits for responses of {@code dimensions}-float vectors: a string that is
   * read (a vector's base64 text, a server's error message) no longer than a vector's base64 text
   * (at least {@link #MIN_STRING_CHARS}; strings that are skipped are never held), nesting no
   * deeper than {@link #MAX_NESTING_DEPTH}, numbers as Jackson's default allows.
   *
   * @param dimensions the expected vector length
   * @return the constraints
   */
  static StreamReadConstraints constraints(int dimensions) {
    return StreamReadConstraints.builder()
        .maxStringLength((int) Math.max(MIN_STRING_CHARS, base64Chars(dimensions)))
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .build();
  }

  /**
   * The most bytes a well-formed answer to a call of {@code inputs} inputs of {@code dimensions}
   * floats may take, after decompression: {@link #MAX_BODY_BYTES_BESIDES_ITEMS} plus, per input,
   * {@link #MAX_BODY_BYTES_PER_ITEM} and {@link #MAX_BODY_BYTES_PER_FLOAT} per dimension. A body
   * longer than that fails the call as soon as the limit is crossed.
   *
   * @param inputs the call's inputs
   * @param dimensions the expected vector length
   * @return the limit in bytes
   */
  static long maxBodyBytes(int inputs, int dimensions) {
    return MAX_BODY_BYTES_BESIDES_ITEMS
        + (long) inputs * (MAX_BODY_BYTES_PER_ITEM + (long) dimensions * MAX_BODY_BYTES_PER_FLOAT);
  }

  /** Characters of base64 (padded) that {@code dimensions} float32 values take. */
  private static long base64Chars(int dimensions) {
    return 4 * (((long) dimensions * Float.BYTES + 2) / 3);
  }

  /** What one response held. */
  record Parsed(List<float[]> vectors, long promptTokens, boolean sawFloatArrays) {}

  /** The state of one parse: what the body held so far, and the limits it must keep. */
  private static final class Reading {
    final float[][] vectors;
    final int dimensions;
    long promptTokens = -1;
    boolean sawData;
    boolean sawFloats;
    String errorMessage;

    Reading(int inputs, int dimensions) {
      this.vectors = new float[inputs][];
      this.dimensions = dimensions;
    }
  }

  /**
   * Parses a response for {@code inputs} inputs of {@code dimensions} each.
   *
   * @param in the response body
   * @param inputs how many inputs the request carried
   * @param dimensions the expected vector length
   * @return the vectors in input order, and the prompt tokens ({@code -1} when not reported)
   * @throws InvalidResponseException when the body is malformed, crosses a bound or does not match
   *     the request
   * @throws IOException when reading the body fails (timeouts, resets)
   */
  Parsed parse(InputStream in, int inputs, int dimensions)
      throws IOException, InvalidResponseException {
    long maxBytes = maxBodyBytes(inputs, dimensions);
    try (JsonParser p = json.createParser(new LimitedInputStream(in, maxBytes))) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "the response");
      Parsed parsed = readObject(p, inputs, dimensions);
      if (p.nextToken() != null) {
        throw new InvalidResponseException(
            "the response goes on after its closing brace (" + p.currentToken() + ")", false, null);
      }
      return parsed;
    } catch (LimitedInputStream.LimitExceededException e) {
      throw new InvalidResponseException(
          "the response body is larger than "
              + e.limit()
              + " bytes, the most an answer of "
              + inputs
              + (inputs == 1 ? " vector" : " vectors")
              + " of "
              + dimensions
              + " dimensions may take;"
              + " stopped reading there",
          false,
          null);
    } catch (JsonProcessingException | CharConversionException e) {
      throw malformed(e);
    }
  }

  /**
   * The failure for a body the JSON parser refused: past one of its limits (not retryable), or not
   * JSON at all (retryable: a body cut short reads the same way).
   *
   * @param e what the JSON parser threw
   * @return the failure
   */
  static InvalidResponseException malformed(IOException e) {
    if (e instanceof StreamConstraintsException c) {
      return new InvalidResponseException(
          "the response is past a limit of this client (" + shortMessage(c) + ")", false, null);
    }
    if (e instanceof JsonProcessingException j) {
      // JsonEOFException (truncated) is one too; InputCoercionException cannot happen (numbers are
      // checked before they are read), but would be malformed JSON all the same
      return new InvalidResponseException(
          "the response is not valid JSON (" + shortMessage(j) + ")", true, null);
    }
    // Jackson's reader of UTF-16/32 bodies reports bad characters and byte-order marks this way
    return new InvalidResponseException(
        "the response is not valid JSON text (" + quote(e.getMessage()) + ")", true, null);
  }

  /**
   * Reads one embeddings response object whose {@code START_OBJECT} {@code p} has just read, up to
   * and including its {@code END_OBJECT}, with every check of {@link #parse}: the Batch API's
   * output lines carry the same object as their {@code response.body}.
   *
   * @param p the parser, made by this parser's factory, on the object's opening brace
   * @param inputs how many inputs the request carried
   * @param dimensions the expected vector length
   * @return the vectors in input order, and the prompt tokens ({@code -1} when not reported)
   * @throws InvalidResponseException when the object does not match the request
   * @throws IOException when reading fails, or the JSON is malformed
   */
  static Parsed readObject(JsonParser p, int inputs, int dimensions)
      throws IOException, InvalidResponseException {
    Reading r = new Reading(inputs, dimensions);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("data") && value == JsonToken.START_ARRAY) {
        if (r.sawData) {
          throw new InvalidResponseException("the response has two 'data' arrays", false, null);
        }
        r.sawData = true;
        readData(p, r);
      } else if (field.equals("usage") && value == JsonToken.START_OBJECT) {
        r.promptTokens = readPromptTokens(p);
      } else if (field.equals("error")) {
        r.errorMessage = value == JsonToken.VALUE_STRING ? quote(p.getText()) : "(an error object)";
        p.skipChildren();
      } else {
        p.skipChildren();
      }
    }
    expect(p.currentToken(), JsonToken.END_OBJECT, "the response");
    if (!r.sawData) {
      throw new InvalidResponseException(
          "the response has no 'data' array"
              + (r.errorMessage != null ? "; it says: " + r.errorMessage : ""),
          false,
          null);
    }
    checkComplete(r.vectors);
    return new Parsed(Arrays.asList(r.vectors), r.promptTokens, r.sawFloats);
  }

  private static void readData(JsonParser p, Reading r)
      throws IOException, InvalidResponseException {
    int position = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (position == r.vectors.length) {
        throw new InvalidResponseException(
            "the server returned more than "
                + r.vectors.length
                + " vectors for "
                + r.vectors.length
                + (r.vectors.length == 1 ? " input" : " inputs"),
            false,
            null);
      }
      expect(p.currentToken(), JsonToken.START_OBJECT, "data[" + position + "]");
      readItem(p, r, position);
      position++;
    }
    if (position != r.vectors.length) {
      throw new InvalidResponseException(
          "the server returned " + position + " vectors for " + r.vectors.length + " inputs",
          false,
          null);
    }
  }

  private static void readItem(JsonParser p, Reading r, int position)
      throws IOException, InvalidResponseException {
    int index = -1;
    float[] vector = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("index")) {
        if (index >= 0) {
          throw new InvalidResponseException("data[" + position + "] has two indexes", false, null);
        }
        index = readIndex(p, value, position, r.vectors.length);
      } else if (field.equals("embedding")) {
        if (vector != null) {
          throw new InvalidResponseException(
              "data[" + position + "] has two embeddings", false, null);
        }
        if (value == JsonToken.VALUE_STRING) {
          vector = decodeBase64(p, position, r.dimensions);
        } else if (value == JsonToken.START_ARRAY) {
          vector = readFloats(p, r.dimensions, position);
          r.sawFloats = true;
        } else {
          throw new InvalidResponseException(
              "data["
                  + position
                  + "].embedding is "
                  + describe(value)
                  + ", not a base64 string or an array",
              false,
              null);
        }
      } else {
        p.skipChildren();
      }
    }
    place(r.vectors, index >= 0 ? index : position, vector, r.dimensions, position);
  }

  /** An {@code index} that is a whole number naming one of the call's inputs, or the call fails. */
  private static int readIndex(JsonParser p, JsonToken value, int position, int inputs)
      throws IOException, InvalidResponseException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw new InvalidResponseException(
          "data[" + position + "].index is " + describe(value) + ", not a whole number",
          false,
          null);
    }
    // a number too long for an int is out of range as well: never read it as one
    JsonParser.NumberType type = p.getNumberType();
    long index =
        type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
            ? p.getLongValue()
            : Long.MAX_VALUE;
    if (index < 0 || index >= inputs) {
      throw new InvalidResponseException(
          "data["
              + position
              + "] has index "
              + (index == Long.MAX_VALUE ? quote(p.getText()) : index)
              + ", but the request had "
              + (index >= inputs ? "only " : "")
              + inputs
              + (inputs == 1 ? " input" : " inputs"),
          false,
          null);
    }
    return (int) index;
  }

  private static void place(
      float[][] vectors, int index, float[] vector, int dimensions, int position)
      throws InvalidResponseException {
    if (vector == null) {
      throw new InvalidResponseException("data[" + position + "] has no 'embedding'", false, null);
    }
    if (index >= vectors.length) {
      throw new InvalidResponseException(
          "data["
              + position
              + "] has index "
              + index
              + ", but the request had only "
              + vectors.length
              + " inputs",
          false,
          null);
    }
    if (vectors[index] != null) {
      throw new InvalidResponseException(
          "the server returned two vectors for input " + index, false, null);
    }
    if (vector.length != dimensions) {
      throw new InvalidResponseException(
          "the vector for input "
              + index
              + " has "
              + vector.length
              + " dimensions; expected "
              + dimensions
              + " (check the model and the openai.dimensions option)",
          false,
          null);
    }
    vectors[index] = vector;
  }

  private static float[] decodeBase64(JsonParser p, int position, int dimensions)
      throws IOException, InvalidResponseException {
    // reads the whole string, at most the parser's string limit; a body that ends inside it throws
    char[] chars = p.getTextCharacters();
    int length = p.getTextLength();
    if (length > base64Chars(dimensions)) {
      throw new InvalidResponseException(
          "data["
              + position
              + "].embedding is "
              + length
              + " base64 characters; "
              + dimensions
              + " float32 values take "
              + base64Chars(dimensions),
          false,
          null);
    }
    float[] v;
    try {
      v = Base64Floats.decode(chars, p.getTextOffset(), length);
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(
          "data["
              + position
              + "].embedding is not base64 of float32 values ("
              + e.getMessage()
              + ")",
          false,
          null);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw notFinite(position, i, Float.toString(v[i]));
      }
    }
    return v;
  }

  private static float[] readFloats(JsonParser p, int dimensions, int position)
      throws IOException, InvalidResponseException {
    float[] v = new float[dimensions];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new InvalidResponseException(
            "data[" + position + "].embedding[" + n + "] is " + describe(t) + ", not a number",
            false,
            null);
      }
      if (n == dimensions) {
        throw new InvalidResponseException(
            "data["
                + position
                + "].embedding has more than the "
                + dimensions
                + " numbers expected"
                + " (check the model and the openai.dimensions option)",
            false,
            null);
      }
      float f = p.getFloatValue();
      if (!Float.isFinite(f)) {
        throw notFinite(position, n, quote(p.getText()));
      }
      v[n++] = f;
    }
    return n == v.length ? v : Arrays.copyOf(v, n);
  }

  private static InvalidResponseException notFinite(int position, int i, String value) {
    return new InvalidResponseException(
        "data[" + position + "].embedding[" + i + "] is " + value + ", not a finite float32 value",
        false,
        null);
  }

  private static long readPromptTokens(JsonParser p) throws IOException {
    long tokens = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      JsonParser.NumberType type = value == JsonToken.VALUE_NUMBER_INT ? p.getNumberType() : null;
      if (field.equals("prompt_tokens")
          && (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG)) {
        tokens = Math.max(-1, p.getLongValue()); // only counted; a count out of range is no count
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
          "the response has no vector for input"
              + (count == 1 ? " " : "s ")
              + missing
              + (count > missing.size() ? " and " + (count - missing.size()) + " more" : ""),
          false,
          null);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String what)
      throws InvalidResponseException {
    if (actual != expected) {
      throw new InvalidResponseException(
          what
              + " should be "
              + describe(expected)
              + " but is "
              + (actual == null ? "missing (the body ended)" : describe(actual)),
          actual == null,
          null);
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "missing (the body ended)";
    }
    switch (t) {
      case START_OBJECT:
        return "a JSON object";
      case END_OBJECT:
        return "the end of a JSON object";
      case START_ARRAY:
        return "a JSON array";
      case END_ARRAY:
        return "the end of a JSON array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.toString();
    }
  }

  /** Server text for a message, cut to {@link #MAX_QUOTED} characters. */
  static String quote(String text) {
    if (text == null) {
      return "(nothing)";
    }
    return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
  }

  /** The parser's message without the source excerpt Jackson appends (it may quote user text). */
  private static String shortMessage(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    var loc = e.getLocation();
    return quote(m)
        + (loc != null && loc.getByteOffset() >= 0 ? " at byte " + loc.getByteOffset() : "");
  }
}

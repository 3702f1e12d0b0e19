package io.batchwise.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.batchwise.spi.CallFailedException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import okhttp3.Headers;

/**
 * A property-based fuzzer (jqwik) for {@link EmbeddingResponseParser}, the parser every 200 answer
 * goes through: it builds valid answers (both encodings, fields in any order, items in any order,
 * extra fields, whitespace, every way of writing a float), then breaks them — truncations,
 * reorderings, duplicate, missing and wrong indexes, wrong types, huge numbers, stray characters,
 * trailing documents, deep nesting — and checks, with a time bound on every case:
 *
 * <ul>
 *   <li>nothing wrong is accepted: whatever parses yields exactly one finite vector of the expected
 *       dimensions per input, equal to the one an independent reading of the same text (Jackson's
 *       tree model) places at that index;
 *   <li>nothing right is refused: an unbroken answer, reordered or not, always parses;
 *   <li>every failure is classified: an {@link InvalidResponseException}, which the provider's
 *       {@link FailureClassifier} turns into a {@link CallFailedException} (retryable for a body
 *       cut short, final for a duplicate or missing item), never any other exception.
 * </ul>
 *
 * <p>jqwik prints the seed of a failing run; {@code @Property(seed = "...")} replays it.
 */
class EmbeddingResponseParserFuzzTest {
  /**
   * How long one parse may take before it counts as a hang; a case takes well under a millisecond.
   */
  private static final long CASE_SECONDS = 10;

  /** Cases per property: a few seconds in all. */
  private static final int TRIES = 2000;

  /**
   * The independent reading: a tree, no duplicate or trailing tolerance surprises, exact decimals.
   */
  private static final ObjectMapper REFERENCE =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * The same reading with doubles, for a text whose number has an exponent beyond what a BigDecimal
   * holds (JSON allows any exponent): such a number is 0, or infinite, or, in a field nobody reads,
   * nothing at all — not a reason to refuse the answer.
   */
  private static final ObjectMapper REFERENCE_DOUBLES =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final ExecutorService PARSING =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-parse");
            t.setDaemon(true);
            return t;
          });

  /** One parser per dimensions, as a provider has one. */
  private static final Map<Integer, EmbeddingResponseParser> PARSERS = new ConcurrentHashMap<>();

  private static final FailureClassifier CLASSIFIER =
      new FailureClassifier(
          "POST https://fuzz.example/v1/embeddings",
          new ObjectMapper(),
          new SecretScrubber(null),
          Clock.systemUTC());

  /** Ways of breaking a valid answer. */
  enum Mutation {
    NONE,
    SHUFFLE,
    WRONG_USAGE,
    TRUNCATE,
    DUPLICATE_ITEM,
    DROP_ITEM,
    DROP_INDEX,
    WRONG_INDEX,
    WRONG_EMBEDDING,
    HUGE_NUMBER,
    EDIT_CHARS,
    WRONG_DATA,
    TRAILING,
    DEEP_NESTING,
    SHUFFLE_WITHOUT_INDEXES
  }

  @AfterContainer
  static void stopParsing() {
    PARSING.shutdownNow();
  }

  @Property(tries = TRIES)
  void unbrokenAnswersParseToTheirVectors(
      @ForAll @IntRange(min = 1, max = 6) int inputs,
      @ForAll @IntRange(min = 1, max = 8) int dimensions,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    Answer answer = Answer.random(random, inputs, dimensions);
    Mutation m =
        new Mutation[] {Mutation.NONE, Mutation.SHUFFLE, Mutation.WRONG_USAGE}[random.nextInt(3)];
    String text = answer.mutate(m, random);
    Outcome o = parse(text, inputs, dimensions);
    assertThat(o.failure).as("refused a valid answer (%s): %s", m, text).isNull();
    assertThat(o.vectors).hasSize(inputs);
    for (int i = 0; i < inputs; i++) {
      assertThat(o.vectors.get(i)).as("vector %d of %s", i, text).containsExactly(answer.truth[i]);
    }
  }

  @Property(tries = TRIES)
  void brokenAnswersAreNeverAcceptedWrongAndAlwaysClassified(
      @ForAll @IntRange(min = 1, max = 6) int inputs,
      @ForAll @IntRange(min = 1, max = 8) int dimensions,
      @ForAll Mutation mutation,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    Answer answer = Answer.random(random, inputs, dimensions);
    String text = answer.mutate(mutation, random);
    Outcome o = parse(text, inputs, dimensions);
    if (o.failure == null) {
      Optional<float[][]> expected = reference(text, inputs, dimensions);
      assertThat(expected)
          .as("accepted what an independent reading refuses (%s): %s", mutation, text)
          .isPresent();
      assertThat(o.vectors).hasSize(inputs);
      for (int i = 0; i < inputs; i++) {
        float[] v = o.vectors.get(i);
        assertThat(v).as("vector %d of %s", i, text).hasSize(dimensions);
        for (int j = 0; j < dimensions; j++) {
          assertThat(Float.isFinite(v[j])).as("vector %d[%d] of %s", i, j, text).isTrue();
          assertThat(v[j] == expected.get()[i][j]).as("vector %d[%d] of %s", i, j, text).isTrue();
        }
      }
      assertThat(mutation)
          .as("a %s answer must not parse: %s", mutation, text)
          .isNotIn(Mutation.TRUNCATE, Mutation.DUPLICATE_ITEM, Mutation.DROP_ITEM);
      return;
    }
    CallFailedException classified = CLASSIFIER.forInvalidResponse(o.failure, inputs, Headers.of());
    assertThat(classified.getMessage()).contains("returned an unusable response: ");
    assertThat(o.failure.getMessage()).isNotBlank();
    if (mutation == Mutation.TRUNCATE) {
      assertThat(classified.isRetryable())
          .as("a body cut short may be whole next time: %s -> %s", text, o.failure.getMessage())
          .isTrue();
    }
    if (mutation == Mutation.DUPLICATE_ITEM || mutation == Mutation.DROP_ITEM) {
      assertThat(classified.isRetryable()).as("%s -> %s", text, o.failure.getMessage()).isFalse();
    }
  }

  /**
   * Numbers whose exponent no BigDecimal holds (JSON allows any): a vector value of {@code -0e...}
   * is -0, and such a number in a field nobody reads changes nothing. Both texts were once reported
   * by the property above against a reference that refused them.
   */
  @Example
  void numbersWithHugeExponentsAreReadAsTheirValues() throws Exception {
    String zeroWithHugeExponent =
        "{\"data\":[{\"index\":0,\"embedding\":[-0e13405433297157288]},"
            + "{\"index\":1,\"embedding\":[0.5]}],\"x_server\":432E692718634310651}";
    Outcome o = parse(zeroWithHugeExponent, 2, 1);
    assertThat(o.failure).isNull();
    assertThat(reference(zeroWithHugeExponent, 2, 1)).isPresent();
    assertThat(Float.floatToIntBits(o.vectors.get(0)[0])).isEqualTo(Float.floatToIntBits(-0f));
    assertThat(o.vectors.get(1)).containsExactly(0.5f);

    String infinite = "{\"data\":[{\"index\":0,\"embedding\":[1e13405433297157288]}]}";
    assertThat(parse(infinite, 1, 1).failure).isNotNull();
    assertThat(reference(infinite, 1, 1)).isEmpty();
  }

  /** What one parse gave: vectors, or the classified failure. */
  private record Outcome(List<float[]> vectors, InvalidResponseException failure) {}

  /**
   * Parses on another thread, bounded in time; any exception but InvalidResponseException fails the
   * property.
   */
  private static Outcome parse(String text, int inputs, int dimensions) throws Exception {
    EmbeddingResponseParser parser =
        PARSERS.computeIfAbsent(
            dimensions, d -> new EmbeddingResponseParser(EmbeddingResponseParser.jsonFactory(d)));
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Future<Outcome> f =
        PARSING.submit(
            () -> {
              try {
                return new Outcome(
                    parser.parse(new ByteArrayInputStream(body), inputs, dimensions).vectors(),
                    null);
              } catch (InvalidResponseException e) {
                return new Outcome(null, e);
              }
            });
    try {
      return f.get(CASE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("parsing took more than " + CASE_SECONDS + " s: " + text);
    } catch (ExecutionException e) {
      throw new AssertionError("unclassified " + e.getCause() + " for: " + text, e.getCause());
    }
  }

  // ---- the independent reading
  // -------------------------------------------------------------------

  /**
   * What a correct reader makes of {@code text}: the vectors by index, or empty when the text is
   * not a complete, well-formed answer for {@code inputs} inputs of {@code dimensions} finite
   * floats.
   */
  static Optional<float[][]> reference(String text, int inputs, int dimensions) {
    JsonNode root;
    try {
      root = REFERENCE.readTree(text);
    } catch (Exception e) {
      if (!(rootCause(e) instanceof NumberFormatException)) {
        return Optional.empty();
      }
      try {
        root = REFERENCE_DOUBLES.readTree(text);
      } catch (Exception again) {
        return Optional.empty();
      }
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isArray() || data.size() != inputs) {
      return Optional.empty();
    }
    float[][] out = new float[inputs][];
    for (int position = 0; position < inputs; position++) {
      JsonNode item = data.get(position);
      if (!item.isObject()) {
        return Optional.empty();
      }
      JsonNode idx = item.get("index");
      int index;
      if (idx == null) {
        index = position;
      } else if (idx.isIntegralNumber()
          && idx.canConvertToInt()
          && idx.intValue() >= 0
          && idx.intValue() < inputs) {
        index = idx.intValue();
      } else {
        return Optional.empty();
      }
      float[] v = referenceVector(item.get("embedding"), dimensions);
      if (v == null || out[index] != null) {
        return Optional.empty();
      }
      out[index] = v;
    }
    return Optional.of(out);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static float[] referenceVector(JsonNode e, int dimensions) {
    float[] v = new float[dimensions];
    if (e == null) {
      return null;
    }
    if (e.isTextual()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(e.asText());
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
      if (bytes.length != dimensions * Float.BYTES) {
        return null;
      }
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    } else if (e.isArray() && e.size() == dimensions) {
      for (int i = 0; i < dimensions; i++) {
        JsonNode n = e.get(i);
        if (!n.isNumber()) {
          return null;
        }
        try {
          v[i] =
              Float.parseFloat(
                  n.isIntegralNumber()
                      ? n.bigIntegerValue().toString()
                      : n.decimalValue().toString());
        } catch (NumberFormatException infinite) { // a double read as infinite has no decimal value
          return null;
        }
      }
    } else {
      return null;
    }
    for (float f : v) {
      if (!Float.isFinite(f)) {
        return null;
      }
    }
    return v;
  }

  // ---- answers and how they break
  // ----------------------------------------------------------------

  /** A valid answer as parts that mutations rearrange: its items' fields as raw JSON text. */
  static final class Answer {
    final float[][] truth;
    final int dimensions;

    /** Per item: its fields as {name, raw JSON value} pairs, in the order written. */
    final List<List<String[]>> items = new ArrayList<>();

    /** The top-level fields other than data, as {name, raw JSON value}. */
    final List<String[]> others = new ArrayList<>();

    final Random random;

    private Answer(Random random, float[][] truth) {
      this.random = random;
      this.truth = truth;
      this.dimensions = truth[0].length;
    }

    static Answer random(Random random, int inputs, int dimensions) {
      float[][] truth = new float[inputs][dimensions];
      for (float[] v : truth) {
        for (int j = 0; j < dimensions; j++) {
          v[j] = randomFloat(random);
        }
      }
      Answer a = new Answer(random, truth);
      boolean base64 = random.nextBoolean();
      for (int i = 0; i < inputs; i++) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"index", Integer.toString(i)});
        boolean asBase64 = random.nextInt(10) == 0 ? !base64 : base64;
        fields.add(new String[] {"embedding", asBase64 ? a.base64(truth[i]) : a.floats(truth[i])});
        if (random.nextBoolean()) {
          fields.add(new String[] {"object", "\"embedding\""});
        }
        if (random.nextInt(4) == 0) {
          fields.add(new String[] {"x_extra", a.randomValue(3)});
        }
        Collections.shuffle(fields, random);
        a.items.add(fields);
      }
      a.others.add(new String[] {"object", "\"list\""});
      a.others.add(new String[] {"model", "\"text-embedding-3-small\""});
      a.others.add(
          new String[] {
            "usage", "{\"prompt_tokens\":" + random.nextInt(10_000) + ",\"total_tokens\":7}"
          });
      if (random.nextInt(3) == 0) {
        a.others.add(new String[] {"x_server", a.randomValue(4)});
      }
      return a;
    }

    /** Every way a server writes a float that reads back as exactly that float. */
    String number(float f) {
      switch (random.nextInt(5)) {
        case 0:
          return Float.toString(f);
        case 1:
          return Double.toString(f);
        case 2:
          // the exact binary value, up to ~150 digits (a decimal has no -0: that one stays a float)
          return isNegativeZero(f) ? Float.toString(f) : new BigDecimal(f).toPlainString();
        case 3:
          // a whole number as an integer; -0 stays a float, as an integer it would read as +0
          return f == Math.rint(f) && Math.abs(f) < 1e6 && !isNegativeZero(f)
              ? Long.toString((long) f)
              : Float.toString(f);
        default:
          return String.format(Locale.ROOT, "%.9e", f); // 10 significant digits: always enough
      }
    }

    private static boolean isNegativeZero(float f) {
      return Float.floatToRawIntBits(f) == Float.floatToRawIntBits(-0f);
    }

    String floats(float[] v) {
      StringBuilder b = new StringBuilder("[");
      for (int j = 0; j < v.length; j++) {
        b.append(j == 0 ? "" : ",").append(space()).append(number(v[j])).append(space());
      }
      return b.append(']').toString();
    }

    String base64(float[] v) {
      ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      Base64.Encoder e =
          random.nextInt(4) == 0 ? Base64.getEncoder().withoutPadding() : Base64.getEncoder();
      String text = e.encodeToString(b.array());
      // JSON may escape any character, and '/' often is
      return "\""
          + (random.nextInt(4) == 0 ? text.replace("/", "\\/").replace("A", "\\u0041") : text)
          + "\"";
    }

    String space() {
      int r = random.nextInt(8);
      return r == 0 ? " " : r == 1 ? "\n  " : r == 2 ? "\t" : "";
    }

    String randomValue(int depth) {
      int r = random.nextInt(depth <= 0 ? 5 : 7);
      switch (r) {
        case 0:
          return "null";
        case 1:
          return random.nextBoolean() ? "true" : "false";
        case 2:
          return Long.toString(random.nextLong());
        case 3:
          return "\"s" + random.nextInt(1000) + " \\\" \\u00e9\"";
        case 4:
          return Double.toString(random.nextGaussian() * 1e10);
        case 5:
          {
            StringBuilder b = new StringBuilder("[");
            for (int i = random.nextInt(4); i > 0; i--) {
              b.append(randomValue(depth - 1)).append(i > 1 ? "," : "");
            }
            return b.append(']').toString();
          }
        default:
          {
            StringBuilder b = new StringBuilder("{");
            for (int i = random.nextInt(4); i > 0; i--) {
              b.append("\"k")
                  .append(i)
                  .append("\":")
                  .append(randomValue(depth - 1))
                  .append(i > 1 ? "," : "");
            }
            return b.append('}').toString();
          }
      }
    }

    String write(List<List<String[]>> data, String dataOverride) {
      List<String[]> top = new ArrayList<>(others);
      top.add(
          random.nextInt(top.size() + 1),
          new String[] {"data", dataOverride != null ? dataOverride : array(data)});
      return object(top) + (random.nextBoolean() ? "\n" : "");
    }

    String array(List<List<String[]>> data) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < data.size(); i++) {
        b.append(i == 0 ? "" : ",").append(space()).append(object(data.get(i)));
      }
      return b.append(space()).append(']').toString();
    }

    String object(List<String[]> fields) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < fields.size(); i++) {
        b.append(i == 0 ? "" : ",")
            .append(space())
            .append('"')
            .append(fields.get(i)[0])
            .append("\":")
            .append(space())
            .append(fields.get(i)[1]);
      }
      return b.append(space()).append('}').toString();
    }

    private List<List<String[]>> copy() {
      List<List<String[]>> c = new ArrayList<>();
      for (List<String[]> item : items) {
        List<String[]> fields = new ArrayList<>();
        for (String[] f : item) {
          fields.add(f.clone());
        }
        c.add(fields);
      }
      return c;
    }

    private static String[] field(List<String[]> item, String name) {
      for (String[] f : item) {
        if (f[0].equals(name)) {
          return f;
        }
      }
      throw new IllegalStateException("no " + name);
    }

    String mutate(Mutation m, Random r) {
      List<List<String[]>> data = copy();
      int victim = r.nextInt(data.size());
      switch (m) {
        case NONE:
          return write(data, null);
        case SHUFFLE:
          Collections.shuffle(data, r);
          return write(data, null);
        case SHUFFLE_WITHOUT_INDEXES:
          Collections.shuffle(data, r);
          data.forEach(item -> item.removeIf(f -> f[0].equals("index")));
          return write(data, null);
        case WRONG_USAGE:
          others.set(
              2,
              new String[] {
                "usage",
                new String[] {
                      "{\"prompt_tokens\":\"12\"}",
                      "{\"prompt_tokens\":123456789012345678901234567890}",
                      "{\"prompt_tokens\":-5}",
                      "{\"prompt_tokens\":1.5}",
                      "{\"prompt_tokens\":null}",
                      "[]",
                      "\"lots\"",
                      "{\"prompt_tokens\":{\"a\":[1,2]}}"
                    }
                    [r.nextInt(8)]
              });
          return write(data, null);
        case TRUNCATE:
          {
            String whole = write(data, null);
            int end = whole.lastIndexOf('}');
            return whole.substring(0, r.nextInt(end + 1));
          }
        case DUPLICATE_ITEM:
          data.add(r.nextInt(data.size() + 1), data.get(victim));
          return write(data, null);
        case DROP_ITEM:
          data.remove(victim);
          return write(data, null);
        case DROP_INDEX:
          data.get(victim).removeIf(f -> f[0].equals("index"));
          if (r.nextBoolean()) {
            Collections.shuffle(data, r);
          }
          return write(data, null);
        case WRONG_INDEX:
          field(data.get(victim), "index")[1] =
              new String[] {
                    Integer.toString(r.nextInt(data.size() + 3) - 1),
                    "-1",
                    Integer.toString(data.size()),
                    "2147483648",
                    "99999999999999999999999",
                    "0.0",
                    "1e0",
                    "\"0\"",
                    "null",
                    "true",
                    "[0]",
                    "{}",
                    "-0",
                    Integer.toString(victim) + ".5"
                  }
                  [r.nextInt(14)];
          return write(data, null);
        case WRONG_EMBEDDING:
          {
            float[] more = new float[dimensions + 1 + r.nextInt(3)];
            float[] nan = truth[victim].clone();
            nan[r.nextInt(dimensions)] =
                new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}
                    [r.nextInt(3)];
            float[] fewer = new float[Math.max(0, dimensions - 1)];
            field(data.get(victim), "embedding")[1] =
                new String[] {
                      "null",
                      "true",
                      "12",
                      "{}",
                      "[]",
                      "\"\"",
                      "\"not base64!\"",
                      "\"AAA\"",
                      "\"AAAAA===\"",
                      base64(more),
                      floats(more),
                      base64(nan),
                      base64(fewer),
                      floats(fewer),
                      floats(truth[victim]).replaceFirst("\\]$", ",\"x\"]"),
                      floats(truth[victim]).replaceFirst("\\[", "[null,"),
                      floats(truth[victim]).replaceFirst("\\[", "[["),
                      "[" + floats(truth[victim]) + "]",
                      "\"" + "A".repeat(70_000) + "\""
                    }
                    [r.nextInt(19)];
            return write(data, null);
          }
        case HUGE_NUMBER:
          {
            String text = write(data, null);
            List<int[]> numbers = numberSpans(text);
            if (numbers.isEmpty()) {
              return text;
            }
            int[] span = numbers.get(r.nextInt(numbers.size()));
            String huge =
                new String[] {
                      "1e39",
                      "-1e39",
                      "3.5e38",
                      "1e400",
                      "-1e999",
                      "1e-50",
                      "4.9e-324",
                      "123456789012345678901234567890",
                      "9".repeat(999),
                      "9".repeat(1001),
                      "0." + "0".repeat(2000) + "1",
                      "1" + "0".repeat(60),
                      "-0.0",
                      "340282356779733661637539395458142568448"
                    }
                    [r.nextInt(14)];
            return text.substring(0, span[0]) + huge + text.substring(span[1]);
          }
        case EDIT_CHARS:
          {
            StringBuilder b = new StringBuilder(write(data, null));
            for (int edits = 1 + r.nextInt(3); edits > 0 && b.length() > 0; edits--) {
              int at = r.nextInt(b.length());
              char c = STRAY.charAt(r.nextInt(STRAY.length()));
              switch (r.nextInt(3)) {
                case 0 -> b.insert(at, c);
                case 1 -> b.deleteCharAt(at);
                default -> b.setCharAt(at, c);
              }
            }
            return b.toString();
          }
        case WRONG_DATA:
          return write(
              data,
              new String[] {
                    "null",
                    "{}",
                    "\"data\"",
                    "42",
                    "[[]]",
                    "[null]",
                    "[1,2]",
                    "{\"0\":" + object(data.get(0)) + "}",
                    "[" + object(data.get(0)) + "]"
                  }
                  [r.nextInt(9)]);
        case TRAILING:
          return write(data, null)
              + new String[] {"{}", "x", "]", "}", "{\"data\":[]}", "0", "\"\"", ","}[r.nextInt(8)];
        default:
          { // DEEP_NESTING
            int depth = 1 + r.nextInt(120);
            others.add(new String[] {"x_deep", "[".repeat(depth) + "]".repeat(depth)});
            return write(data, null);
          }
      }
    }

    /**
     * Characters a stray edit inserts: JSON's own, digits, escapes, a NUL, a non-ASCII and a lone
     * surrogate.
     */
    private static final String STRAY = "{}[]\",:0123456789eE.-+ntfu\\ \u0000\u00e9\ud800A/=";

    /** Where the numbers are in {@code text}, outside strings. */
    private static List<int[]> numberSpans(String text) {
      List<int[]> spans = new ArrayList<>();
      boolean inString = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (inString) {
          if (c == '\\') {
            i++;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          int start = i;
          while (i < text.length() && "0123456789+-.eE".indexOf(text.charAt(i)) >= 0) {
            i++;
          }
          spans.add(new int[] {start, i});
          i--;
        }
      }
      return spans;
    }

    private static float randomFloat(Random r) {
      switch (r.nextInt(8)) {
        case 0:
          return Float.MIN_VALUE * r.nextInt(100) * (r.nextBoolean() ? 1 : -1); // subnormals
        case 1:
          return r.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
        case 2:
          return r.nextBoolean() ? 0f : -0f;
        case 3:
          {
            float f = Float.intBitsToFloat(r.nextInt());
            return Float.isFinite(f) ? f : 1f;
          }
        case 4:
          return r.nextInt(2001) - 1000;
        default:
          return (float) (r.nextGaussian() / 8);
      }
    }
  }
}

package io.batchwise.providers.local.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.batchwise.tokenizer.SegmentPlanner.Boundaries;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a BERT-style tokenizer splits text into words no matter what follows, read from its {@code
 * tokenizer.json}: at whitespace, at punctuation and at CJK ideographs.
 *
 * <p>BERT's pre-tokenizer ends a word at whitespace and makes every punctuation character a word of
 * its own; its normalizer (when it handles Chinese characters) makes every CJK ideograph one too,
 * and otherwise works one character at a time. So tokenizing a text in parts cut before such a
 * character gives the whole text's tokens, apart from the special tokens each part gets. That holds
 * for WordPiece, BPE or Unigram models alike, since each works within a word. Other pre-tokenizers
 * and normalizers (byte-level BPE, SentencePiece's, regex replacements) are not read: their texts
 * are tokenized whole ({@link Boundaries#NONE}), which is always exact.
 *
 * <p>Added tokens ({@code [CLS]}, {@code [SEP]}, ...) are matched in the raw text before anything
 * else, so no split falls inside one; a tokenizer with added tokens that strip spaces or match
 * single words only is not split at all. Immutable and thread-safe.
 */
final class BertBoundaries implements Boundaries {
  /** The members of a {@code tokenizer.json} that decide the boundaries. */
  private static final Set<String> READ = Set.of("pre_tokenizer", "normalizer", "added_tokens");

  private final boolean chineseChars;
  private final List<String> addedTokens;

  private BertBoundaries(boolean chineseChars, List<String> addedTokens) {
    this.chineseChars = chineseChars;
    this.addedTokens = List.copyOf(addedTokens);
  }

  /**
   * The boundaries of the tokenizer a {@code tokenizer.json} describes.
   *
   * @param json the file's content
   * @return BERT's boundaries, or {@link Boundaries#NONE} when the file describes another kind of
   *     tokenizer or cannot be read as one
   */
  static Boundaries of(String json) {
    try {
      JsonObject root = members(json, READ);
      if (!"BertPreTokenizer".equals(type(root.get("pre_tokenizer")))) {
        return NONE;
      }
      JsonElement normalizer = root.get("normalizer");
      boolean chinese;
      if (normalizer == null || normalizer.isJsonNull()) {
        chinese = false;
      } else if ("BertNormalizer".equals(type(normalizer))) {
        JsonElement flag = normalizer.getAsJsonObject().get("handle_chinese_chars");
        chinese = flag == null || flag.isJsonNull() || flag.getAsBoolean();
      } else {
        return NONE;
      }
      List<String> added = new ArrayList<>();
      JsonElement tokens = root.get("added_tokens");
      if (tokens != null && tokens.isJsonArray()) {
        for (JsonElement t : tokens.getAsJsonArray()) {
          JsonObject token = t.getAsJsonObject();
          if (flag(token, "lstrip") || flag(token, "rstrip") || flag(token, "single_word")) {
            return NONE;
          }
          added.add(token.get("content").getAsString());
        }
      }
      return new BertBoundaries(chinese, added);
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | NullPointerException
        | IOException e) {
      return NONE; // DJL reports a malformed file when it loads it; here it only means "do not
      // split"
    }
  }

  /**
   * The named top-level members of a JSON object, each parsed into a tree; the others are skipped
   * as they are read. The vocabulary ({@code model}) is most of a {@code tokenizer.json} and is not
   * needed here: building it into a tree would cost a few times what skipping it does, on every
   * tokenizer load.
   */
  private static JsonObject members(String json, Set<String> names) throws IOException {
    JsonObject root = new JsonObject();
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.LENIENT); // as JsonParser.parseString reads
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (names.contains(name)) {
          root.add(name, JsonParser.parseReader(reader));
        } else {
          reader.skipValue();
        }
      }
      reader.endObject();
    }
    return root;
  }

  private static String type(JsonElement e) {
    if (e == null || !e.isJsonObject()) {
      return null;
    }
    JsonElement type = e.getAsJsonObject().get("type");
    return type == null || type.isJsonNull() ? null : type.getAsString();
  }

  private static boolean flag(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && !e.isJsonNull() && e.getAsBoolean();
  }

  @Override
  public boolean splitsBefore(String text, int index) {
    int cp = text.codePointAt(index);
    boolean splits =
        cp == ' '
            || cp == '\t'
            || cp == '\n'
            || cp == '\r'
            || isPunctuation(cp)
            || (chineseChars && isChineseChar(cp));
    return splits && !insideAddedToken(text, index);
  }

  private boolean insideAddedToken(String text, int index) {
    for (String token : addedTokens) {
      int from = Math.max(0, index - token.length() + 1);
      for (int start = from; start < index; start++) {
        if (text.regionMatches(true, start, token, 0, token.length())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * BERT's punctuation: every ASCII non-alphanumeric printable character, and Unicode's P
   * categories, here only in blocks whose punctuation is decades old: the native tokenizer's
   * character tables may be older than the JDK's, and a character it does not know as punctuation
   * must not be split at.
   */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    boolean oldBlock =
        (cp >= 0xA0 && cp <= 0xFF) // Latin-1
            || (cp >= 0x2000 && cp <= 0x2064) // General Punctuation
            || (cp >= 0x3000 && cp <= 0x303F) // CJK Symbols and Punctuation
            || (cp >= 0xFE10 && cp <= 0xFE6F) // vertical, compatibility and small forms
            || (cp >= 0xFF00 && cp <= 0xFFEF); // halfwidth and fullwidth forms
    return oldBlock
        && switch (Character.getType(cp)) {
          case Character.CONNECTOR_PUNCTUATION,
              Character.DASH_PUNCTUATION,
              Character.START_PUNCTUATION,
              Character.END_PUNCTUATION,
              Character.INITIAL_QUOTE_PUNCTUATION,
              Character.FINAL_QUOTE_PUNCTUATION,
              Character.OTHER_PUNCTUATION ->
              true;
          default -> false;
        };
  }

  /**
   * The CJK ideographs BERT's normalizer makes words of their own. The ranges are the ones both the
   * Python original and the Rust tokenizers list (they differ in one block, left out here).
   */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  @Override
  public String toString() {
    return "BertBoundaries[chineseChars=" + chineseChars + ", addedTokens=" + addedTokens + "]";
  }
}

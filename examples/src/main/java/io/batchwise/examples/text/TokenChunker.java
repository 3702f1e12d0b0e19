package io.batchwise.examples.text;

import io.batchwise.spi.Tokenizer;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts a document into chunks of at most {@code maxTokens} tokens (as the model's tokenizer counts
 * them, special tokens included) that overlap by up to {@code overlapTokens}, cutting at sentence
 * ends where it can, else between words, and inside a word only when one word alone is too long.
 * Every chunk is a piece of the original text (nothing is re-tokenized or decoded), and together
 * they cover all of it.
 *
 * <pre>{@code
 * TokenChunker chunker = new TokenChunker(provider.tokenizer(), 256, 32);
 * List<String> chunks = chunker.chunk(document);
 * }</pre>
 *
 * <p>Thread-safe when the tokenizer is (every Batchwise tokenizer is).
 */
public final class TokenChunker {
  private final Tokenizer tokenizer;
  private final int maxTokens;
  private final int overlapTokens;
  private final int overhead;

  /**
   * Creates a chunker.
   *
   * @param tokenizer counts tokens as the model sees them
   * @param maxTokens the most tokens per chunk; more than the tokens the model adds to every input
   * @param overlapTokens how many tokens of the end of a chunk the next one repeats, at least 0 and
   *     less than {@code maxTokens}
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  public TokenChunker(Tokenizer tokenizer, int maxTokens, int overlapTokens) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.overhead = tokenizer.count("");
    if (maxTokens <= overhead) {
      throw new IllegalArgumentException(
          "chunk tokens was "
              + maxTokens
              + "; it must be more than the "
              + overhead
              + " tokens "
              + tokenizer.name()
              + " adds to every input");
    }
    if (overlapTokens < 0 || overlapTokens >= maxTokens) {
      throw new IllegalArgumentException(
          "overlap was " + overlapTokens + "; it must be in [0, " + (maxTokens - 1) + "]");
    }
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  /**
   * Cuts a text into chunks.
   *
   * @param text the document
   * @return the chunks in order, stripped of surrounding whitespace; empty for a blank text
   */
  public List<String> chunk(String text) {
    List<Piece> pieces = pieces(text);
    List<String> chunks = new ArrayList<>();
    int start = 0;
    while (start < pieces.size()) {
      int end = start;
      long sum = overhead;
      while (end < pieces.size() && (end == start || sum + pieces.get(end).tokens <= maxTokens)) {
        sum += pieces.get(end).tokens;
        end++;
      }
      // per-piece counts are estimates (tokenizers merge across boundaries); the chunk's own count
      // decides
      while (end - start > 1 && tokenizer.count(join(text, pieces, start, end)) > maxTokens) {
        end--;
      }
      String chunk = join(text, pieces, start, end).strip();
      if (!chunk.isEmpty()) {
        chunks.add(chunk);
      }
      if (end >= pieces.size()) {
        break;
      }
      int next = end;
      long overlap = 0;
      while (next - 1 > start && overlap + pieces.get(next - 1).tokens <= overlapTokens) {
        overlap += pieces.get(next - 1).tokens;
        next--;
      }
      start = next;
    }
    return chunks;
  }

  private static String join(String text, List<Piece> pieces, int from, int to) {
    return text.substring(pieces.get(from).start, pieces.get(to - 1).end);
  }

  /** Sentences, each split into words when too long, each word into parts when too long. */
  private List<Piece> pieces(String text) {
    List<Piece> out = new ArrayList<>();
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
    sentences.setText(text);
    for (int s = sentences.first(), e = sentences.next();
        e != BreakIterator.DONE;
        s = e, e = sentences.next()) {
      addSplitting(text, s, e, out, true);
    }
    return out;
  }

  private void addSplitting(String text, int start, int end, List<Piece> out, boolean sentence) {
    String part = text.substring(start, end);
    if (part.isBlank()) {
      if (!out.isEmpty()) {
        out.set(
            out.size() - 1,
            new Piece(out.get(out.size() - 1).start, end, out.get(out.size() - 1).tokens));
      }
      return;
    }
    int tokens = tokenizer.count(part) - overhead;
    if (tokens + overhead <= maxTokens) {
      out.add(new Piece(start, end, Math.max(tokens, 1)));
    } else if (sentence) {
      // split the sentence after each run of whitespace
      int pos = start;
      for (int i = start + 1; i < end; i++) {
        if (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
          addSplitting(text, pos, i, out, false);
          pos = i;
        }
      }
      addSplitting(text, pos, end, out, false);
    } else {
      splitWord(text, start, end, out);
    }
  }

  /** A word longer than a chunk: cut into the longest prefixes the tokenizer allows. */
  private void splitWord(String text, int start, int end, List<Piece> out) {
    int pos = start;
    int budget = maxTokens - overhead;
    while (pos < end) {
      String rest = text.substring(pos, end);
      String prefix = tokenizer.truncate(rest, budget);
      int len = rest.startsWith(prefix) && !prefix.isEmpty() ? prefix.length() : 1;
      if (len < rest.length() && Character.isHighSurrogate(rest.charAt(len - 1))) {
        len++; // never split a surrogate pair
      }
      out.add(
          new Piece(
              pos, pos + len, Math.max(1, tokenizer.count(rest.substring(0, len)) - overhead)));
      pos += len;
    }
  }

  /** A span of the text and its estimated tokens (without the model's added tokens). */
  private record Piece(int start, int end, int tokens) {}
}

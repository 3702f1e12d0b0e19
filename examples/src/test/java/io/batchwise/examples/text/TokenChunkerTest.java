package io.batchwise.examples.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenChunkerTest {

  /**
   * A word-piece-like tokenizer: every run of up to 4 letters or digits is a token, every other
   * non-space character is one, and every input gets 2 added tokens (like [CLS] and [SEP]).
   */
  static final class PieceTokenizer implements Tokenizer {
    static List<String> pieces(String text) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (Character.isLetterOrDigit(c)) {
          int j = i;
          while (j < text.length() && j - i < 4 && Character.isLetterOrDigit(text.charAt(j))) {
            j++;
          }
          out.add(text.substring(i, j));
          i = j;
        } else {
          out.add(String.valueOf(c));
          i++;
        }
      }
      return out;
    }

    @Override
    public String name() {
      return "pieces";
    }

    @Override
    public int count(String text) {
      return pieces(text).size() + 2;
    }

    @Override
    public int[] encode(String text) {
      return new int[count(text)];
    }

    @Override
    public String decode(int[] tokens) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String truncate(String text, int maxTokens) {
      int budget = maxTokens - 2;
      int i = 0;
      int n = 0;
      while (i < text.length() && n < budget) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        int j = i + 1;
        if (Character.isLetterOrDigit(c)) {
          while (j < text.length() && j - i < 4 && Character.isLetterOrDigit(text.charAt(j))) {
            j++;
          }
        }
        n++;
        i = j;
      }
      return text.substring(0, i);
    }
  }

  private static final Tokenizer TOKENIZER = new PieceTokenizer();

  private static String document() {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < 40; s++) {
      b.append("Sentence ")
          .append(s)
          .append(" talks about topic ")
          .append(s % 7)
          .append(" at some length. ");
      if (s % 9 == 8) {
        b.append("\n\n");
      }
    }
    return b.toString();
  }

  @ParameterizedTest(name = "max {0} tokens, overlap {1}")
  @CsvSource({"20, 0", "20, 5", "64, 16", "200, 30", "1000, 0"})
  @DisplayName(
      "every chunk fits; the chunks cover the text in order; consecutive chunks overlap by at most the overlap")
  void chunksFitAndCover(int max, int overlap) {
    String doc = document();
    List<String> chunks = new TokenChunker(TOKENIZER, max, overlap).chunk(doc);
    assertThat(chunks).isNotEmpty();
    for (String c : chunks) {
      assertThat(TOKENIZER.count(c)).as(c).isLessThanOrEqualTo(max);
      assertThat(doc).contains(c);
    }
    // each chunk starts after the one before, with no text between them but whitespace
    int previousStart = -1;
    int previousEnd = doc.indexOf(doc.strip().charAt(0));
    for (String c : chunks) {
      int start = doc.indexOf(c, previousStart + 1);
      assertThat(start).as("chunk found after the previous one").isGreaterThan(previousStart);
      if (start >= previousEnd) {
        assertThat(doc.substring(previousEnd, start)).as("gap between chunks").isBlank();
      } else {
        assertThat(TOKENIZER.count(doc.substring(start, previousEnd)) - 2)
            .as("overlap")
            .isLessThanOrEqualTo(overlap);
      }
      previousStart = start;
      previousEnd = start + c.length();
    }
    assertThat(doc.substring(previousEnd)).as("after the last chunk").isBlank();
    if (max >= 1000) {
      assertThat(chunks).hasSize(1);
    }
  }

  @Test
  @DisplayName("a word longer than a chunk is cut inside, nothing is lost")
  void longWord() {
    String word = "x".repeat(100);
    List<String> chunks = new TokenChunker(TOKENIZER, 10, 0).chunk("start " + word + " end");
    assertThat(chunks).allSatisfy(c -> assertThat(TOKENIZER.count(c)).isLessThanOrEqualTo(10));
    assertThat(String.join("", chunks).replace(" ", "")).isEqualTo("start" + word + "end");
  }

  @Test
  @DisplayName("a blank text has no chunks; bad sizes are refused naming the limit")
  void edges() {
    assertThat(new TokenChunker(TOKENIZER, 10, 2).chunk("  \n ")).isEmpty();
    assertThatThrownBy(() -> new TokenChunker(TOKENIZER, 2, 0))
        .hasMessageContaining("more than the 2 tokens");
    assertThatThrownBy(() -> new TokenChunker(TOKENIZER, 10, 10))
        .hasMessageContaining("overlap was 10")
        .hasMessageContaining("[0, 9]");
  }
}

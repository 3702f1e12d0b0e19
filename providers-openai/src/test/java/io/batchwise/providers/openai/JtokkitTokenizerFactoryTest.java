package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.Tokenizer;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JTokkit tokenizer factory: names, the model map, shared instances and known token ids. */
class JtokkitTokenizerFactoryTest {
  private final JtokkitTokenizerFactory factory = new JtokkitTokenizerFactory();

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "cl100k_base, cl100k_base",
    "o200k_base, o200k_base",
    "p50k_base, p50k_base",
    "r50k_base, r50k_base",
    "text-embedding-3-small, cl100k_base",
    "text-embedding-3-large, cl100k_base",
    "text-embedding-ada-002, cl100k_base",
    "gpt-4o, o200k_base",
    "gpt-4o-mini-2024-07-18, o200k_base",
    "o1-preview, o200k_base",
    "o3-mini, o200k_base",
    "gpt-4-turbo, cl100k_base",
    "gpt-3.5-turbo-0125, cl100k_base",
    "text-davinci-003, p50k_base",
    "davinci, r50k_base",
    "openai/gpt-4o, o200k_base",
    "TEXT-EMBEDDING-3-SMALL, cl100k_base",
  })
  @DisplayName("maps encodings and model names to their encoding")
  void mapsNames(String name, String encoding) {
    assertThat(factory.supports(name)).isTrue();
    assertThat(factory.create(name).name()).isEqualTo(encoding);
  }

  @Test
  @DisplayName("rejects unknown names, listing what it knows")
  void rejectsUnknownNames() {
    assertThat(factory.supports("llama-3-8b")).isFalse();
    assertThat(factory.supports("adamant")).as("exact GPT-3 names are not prefixes").isFalse();
    assertThatThrownBy(() -> factory.create("llama-3-8b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("llama-3-8b")
        .hasMessageContaining("cl100k_base")
        .hasMessageContaining("o200k_base");
    assertThat(factory.names())
        .contains("cl100k_base", "o200k_base", "p50k_base", "r50k_base", "text-embedding-3-small");
  }

  @Test
  @DisplayName("shares one tokenizer per encoding")
  void oneInstancePerEncoding() {
    assertThat(factory.create("text-embedding-3-small"))
        .isSameAs(factory.create("cl100k_base"))
        .isSameAs(new JtokkitTokenizerFactory().create("gpt-4"));
    assertThat(factory.create("gpt-4o")).isNotSameAs(factory.create("cl100k_base"));
  }

  @Test
  @DisplayName("produces tiktoken's token ids for each encoding")
  void knownTokenIds() {
    assertThat(factory.create("cl100k_base").encode("hello world")).containsExactly(15339, 1917);
    assertThat(factory.create("o200k_base").encode("hello world")).containsExactly(24912, 2375);
    assertThat(factory.create("r50k_base").encode("hello world")).containsExactly(31373, 995);
    assertThat(factory.create("p50k_base").encode("hello world")).containsExactly(31373, 995);
    assertThat(factory.create("cl100k_base").count("tiktoken is great!")).isEqualTo(6);
  }

  @Test
  @DisplayName("counts special-token spellings as ordinary text instead of throwing")
  void specialTokensAreOrdinaryText() {
    Tokenizer t = factory.create("cl100k_base");
    assertThat(t.count("<|endoftext|>")).isGreaterThan(1);
    assertThat(t.decode(t.encode("a <|endoftext|> b"))).isEqualTo("a <|endoftext|> b");
  }

  @Test
  @DisplayName("truncates any text to a true prefix within the limit, never splitting a code point")
  void truncationProperty() {
    Tokenizer t = factory.create("cl100k_base");
    SplittableRandom random = new SplittableRandom(7);
    String[] pieces = {
      "word ", "数据", "🚀", "é", "e\u0301", " ", "\n", "tokenization", "ß", "😀😀", "12345"
    };
    for (int round = 0; round < 300; round++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = b.toString();
      int max = 1 + random.nextInt(20);
      String cut = t.truncate(text, max);
      assertThat(text).startsWith(cut);
      assertThat(t.count(cut)).isLessThanOrEqualTo(max);
      if (!cut.isEmpty()) {
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
      }
      if (t.count(text) <= max) {
        assertThat(cut).isEqualTo(text);
      } else if (cut.isEmpty()) {
        String first = new String(Character.toChars(text.codePointAt(0)));
        assertThat(t.count(first))
            .as("only cuts everything when the first character does not fit")
            .isGreaterThan(max);
      }
    }
  }

  @Test
  @DisplayName("is reached by model name through the core tokenizer registry")
  void throughTheRegistry() {
    TokenizerRegistry registry = TokenizerRegistry.standalone();
    assertThat(registry.get("text-embedding-3-small").name()).isEqualTo("cl100k_base");
    assertThat(registry.available()).containsKey("jtokkit");
  }
}

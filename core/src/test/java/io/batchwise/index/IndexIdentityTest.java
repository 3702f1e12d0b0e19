package io.batchwise.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.spi.VectorIdentity;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexIdentity}: an allowlist of what identifies vectors, compared on what both sides know.
 */
class IndexIdentityTest {

  private static IndexIdentity id(String model, int dims, String... attributes) {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      map.put(attributes[i], attributes[i + 1]);
    }
    return new IndexIdentity("hash", model, dims, map);
  }

  @Test
  @DisplayName("only the allowlisted attributes, printable and bounded, are accepted")
  void allowlist() {
    assertThatThrownBy(() -> id("m", 8, "base-url", "http://evil"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'base-url' is not an identity attribute");
    assertThatThrownBy(() -> id("m\u001b[2J", 8))
        .hasMessageContaining("model has a control character");
    assertThatThrownBy(() -> id("m", 8, IndexIdentity.QUERY_PREFIX, "a\nb"))
        .hasMessageContaining("query-prefix");
    assertThatThrownBy(() -> id("m", 8, IndexIdentity.NORMALIZED, "yes"))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> id("m", 8, IndexIdentity.MAX_SEQUENCE_LENGTH, "-1"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> id("m", 0)).hasMessageContaining("dimensions was 0");
    assertThatThrownBy(() -> id("https://alice:pa55word@example.com/m", 8))
        .hasMessageContaining("model holds a URL with user info")
        .hasMessageNotContaining("pa55word");
    assertThatThrownBy(
            () -> id("m", 8, IndexIdentity.DOCUMENT_PREFIX, "see http://bob@example.com: "))
        .hasMessageContaining("document-prefix holds a URL with user info");
    assertThat(
            id(
                    "m",
                    8,
                    IndexIdentity.DOCUMENT_PREFIX,
                    "mail bob@example.com, see https://example.com/a@b")
                .attribute(IndexIdentity.DOCUMENT_PREFIX))
        .isPresent();
    assertThatThrownBy(() -> id("x".repeat(IndexIdentity.MAX_CHARS + 1), 8))
        .hasMessageContaining("at most");
    assertThat(
            id("m", 8, IndexIdentity.MAX_SEQUENCE_LENGTH, "")
                .attribute(IndexIdentity.MAX_SEQUENCE_LENGTH))
        .hasValue("");
  }

  @Test
  @DisplayName(
      "identities match on provider, model and dimensions, and on every attribute both know")
  void matching() {
    IndexIdentity full = id("m", 8, IndexIdentity.NORMALIZED, "true", IndexIdentity.POOLING, "cls");
    assertThat(full.matches(id("m", 8))).isTrue(); // knows nothing more
    assertThat(full.matches(id("m", 8, IndexIdentity.NORMALIZED, "true"))).isTrue();
    assertThat(full.matches(id("m", 8, IndexIdentity.POOLING, ""))).isFalse(); // default pooling
    assertThat(full.matches(id("m", 8, IndexIdentity.NORMALIZED, "false"))).isFalse();
    assertThat(full.matches(id("n", 8))).isFalse();
    assertThat(full.matches(id("m", 16))).isFalse();
    assertThat(full.matches(new IndexIdentity("other", "m", 8, new TreeMap<>()))).isFalse();
    assertThat(
            id("m", 8, IndexIdentity.NORMALIZED, "true")
                .merge(id("m", 8, IndexIdentity.POOLING, "cls")))
        .isEqualTo(full);
    assertThatThrownBy(() -> full.merge(id("n", 8))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "from an embedder's vector identity: provider, model, dimensions, normalized and the allowlisted attributes only")
  void fromEmbedderAndItsVectorIdentity() {
    CountingHashEmbedder embedder = new CountingHashEmbedder("hash-16", 16);
    assertThat(IndexIdentity.of(embedder))
        .isEqualTo(id("hash-16", 16, IndexIdentity.NORMALIZED, "true"));

    // what a provider declares: the allowlisted settings, and an endpoint, the input type of a
    // query, its per-input limit and a revision, none of which an index records
    VectorIdentity vectors =
        embedder
            .identity()
            .with(VectorIdentity.POOLING, "cls")
            .with(VectorIdentity.QUERY_PREFIX, "")
            .with(VectorIdentity.ENDPOINT, "example.com:443/v1")
            .with(VectorIdentity.DEPLOYMENT, "embeddings-1")
            .with(VectorIdentity.INPUT_TYPE, "query")
            .with(VectorIdentity.MAX_TOKENS_PER_INPUT, "512")
            .with(VectorIdentity.REVISION, "3f2a");
    IndexIdentity identity = IndexIdentity.of(vectors);
    assertThat(identity)
        .isEqualTo(
            id(
                "hash-16",
                16,
                IndexIdentity.NORMALIZED,
                "true",
                IndexIdentity.POOLING,
                "cls",
                IndexIdentity.QUERY_PREFIX,
                ""));
    assertThat(identity.toString()).isEqualTo("hash/hash-16 (16 dims, normalized, pooling cls)");
  }
}

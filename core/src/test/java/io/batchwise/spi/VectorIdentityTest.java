package io.batchwise.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VectorIdentityTest {
  private static final ModelInfo MODEL =
      new ModelInfo("nomic-embed-text:latest", 768, false, 16, 512, 8192, ModelInfo.NO_LIMIT);

  @Test
  @DisplayName("the namespace is versioned, readable, and escapes what would split it")
  void namespaceFormat() {
    VectorIdentity id = VectorIdentity.of("openai", MODEL);
    assertThat(id.namespace()).isEqualTo("v2/openai/nomic-embed-text%3Alatest/768/u");
    assertThat(
            VectorIdentity.of(
                    "local", new ModelInfo("org/model", 8, true, 1, 8, 8, ModelInfo.NO_LIMIT))
                .namespace())
        .isEqualTo("v2/local/org%2Fmodel/8/n");
    assertThat(id.with(VectorIdentity.POOLING, "mean").namespace())
        .matches("v2/openai/nomic-embed-text%3Alatest/768/u/[0-9a-f]{16}");
  }

  @Test
  @DisplayName("equal identities share a namespace; any attribute changed gives another")
  void attributesDecideTheNamespace() {
    VectorIdentity base =
        VectorIdentity.of("openai", MODEL).with(VectorIdentity.ENDPOINT, "127.0.0.1:8080/v1");
    VectorIdentity same =
        VectorIdentity.of("openai", MODEL).with(VectorIdentity.ENDPOINT, "127.0.0.1:8080/v1");
    assertThat(same).isEqualTo(base);
    assertThat(same.namespace()).isEqualTo(base.namespace());
    assertThat(base.with(VectorIdentity.ENDPOINT, "127.0.0.1:8081/v1").namespace())
        .isNotEqualTo(base.namespace());
    assertThat(base.with(VectorIdentity.DEPLOYMENT, "d").namespace())
        .isNotEqualTo(base.namespace());
    // no two attribute maps encode alike, however their names and values are cut
    assertThat(VectorIdentity.of("p", MODEL).with("a", "bc").namespace())
        .isNotEqualTo(VectorIdentity.of("p", MODEL).with("ab", "c").namespace());
  }

  @Test
  @DisplayName("documents keep the model's namespace; queries get one of their own")
  void theInputTypeDecidesTheNamespace() {
    VectorIdentity model =
        VectorIdentity.of("local", MODEL).with(VectorIdentity.QUERY_PREFIX, "query:");
    assertThat(model.forInputType(InputType.DOCUMENT)).isSameAs(model);
    VectorIdentity queries = model.forInputType(InputType.QUERY);
    assertThat(queries.attribute(VectorIdentity.INPUT_TYPE)).contains("query");
    assertThat(queries.namespace()).isNotEqualTo(model.namespace());
    assertThat(queries.forInputType(InputType.QUERY)).isEqualTo(queries);
  }

  @Test
  void attributesAreCheckedAndReadOnly() {
    assertThatThrownBy(() -> VectorIdentity.of("p", MODEL).with("Bad Name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> new VectorIdentity("p", "m", 0, true, new TreeMap<>()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimensions");
    VectorIdentity id = VectorIdentity.of("p", MODEL).with("pooling", "cls");
    assertThatThrownBy(() -> id.attributes().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(id.attribute("pooling")).contains("cls");
    assertThat(id.toString())
        .contains("p/nomic-embed-text:latest", "768", Map.of("pooling", "cls").toString());
  }

  @Test
  @DisplayName("a cut text's key differs from the whole text's and from another limit's")
  void truncatedKeys() {
    String ns = VectorIdentity.of("p", MODEL).namespace();
    CacheKey whole = CacheKey.of(ns, "some text");
    assertThat(CacheKey.of(ns, "some text")).isEqualTo(whole);
    assertThat(CacheKey.truncated(ns, "some text", 8))
        .isNotEqualTo(whole)
        .isNotEqualTo(CacheKey.truncated(ns, "some text", 9))
        .isEqualTo(CacheKey.truncated(ns, "some text", 8));
    assertThat(CacheKey.truncated(ns, "some text", 8).textHash()).matches("[0-9a-f]{64}");
  }
}

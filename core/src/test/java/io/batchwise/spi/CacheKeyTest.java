package io.batchwise.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CacheKey}'s written-out equality: the same as a record's, part by part. */
class CacheKeyTest {
  @Test
  @DisplayName("keys with equal parts are equal and hash alike, whatever the string instances")
  void equalParts() {
    CacheKey a = CacheKey.of("v2/ns", "some text");
    CacheKey b = new CacheKey(new String("v2/ns"), new String(a.textHash()));
    assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a).isEqualTo(a);
  }

  @Test
  @DisplayName("a key differs from one with another namespace, another hash, null or another type")
  void differentParts() {
    CacheKey a = CacheKey.of("v2/ns", "some text");
    assertThat(a)
        .isNotEqualTo(CacheKey.of("v2/other", "some text"))
        .isNotEqualTo(CacheKey.of("v2/ns", "other text"))
        .isNotEqualTo(CacheKey.truncated("v2/ns", "some text", 8))
        .isNotEqualTo(null)
        .isNotEqualTo(a.asString());
    // the parts are not just concatenated: moving the boundary between them gives another key
    assertThat(new CacheKey("ab", "c")).isNotEqualTo(new CacheKey("a", "bc"));
  }

  @Test
  @DisplayName("a map finds a value under an equal key made separately")
  void asMapKey() {
    Map<CacheKey, String> map = new HashMap<>();
    map.put(CacheKey.of("v2/ns", "one"), "1");
    map.put(CacheKey.truncated("v2/ns", "one", 4), "1 cut");
    assertThat(map)
        .hasSize(2)
        .containsEntry(CacheKey.of("v2/ns", "one"), "1")
        .containsEntry(CacheKey.truncated("v2/ns", "one", 4), "1 cut")
        .doesNotContainKey(CacheKey.of("v2/ns", "two"));
  }

  @Test
  @DisplayName(
      "a key is the SHA-256 of its text, whatever a hash abandoned earlier on the thread left behind")
  void theThreadsDigestStartsOver() throws Exception {
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("some text".getBytes(StandardCharsets.UTF_8)));
    assertThat(CacheKey.of("v2/ns", "some text").asString()).isEqualTo("v2/ns:" + expected);
    VectorIdentity.sha256().update(new byte[] {1, 2, 3}); // abandoned half-way
    assertThat(CacheKey.of("v2/ns", "some text").asString()).isEqualTo("v2/ns:" + expected);
    assertThat(CacheKey.truncated("v2/ns", "some text", 4))
        .isEqualTo(CacheKey.truncated("v2/ns", "some text", 4))
        .isNotEqualTo(CacheKey.of("v2/ns", "some text"));
  }
}

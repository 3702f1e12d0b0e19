package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeyTest {
  static final List<String> KEYS =
      List.of(
          "",
          "a",
          "emb:local/all-minilm-l6-v2/384/n:"
              + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          "é:ü✓:x",
          "no-colon",
          "memo:0123456789abcdef:" + "x".repeat(300));

  @Test
  void everySplitOfAKeyIsEqualAndHashesLikeTheString() {
    for (String full : KEYS) {
      StoreKey whole = StoreKey.of(full);
      assertThat(whole.toString()).isEqualTo(full);
      for (int split = 0; split <= full.length(); split++) {
        StoreKey k = StoreKey.of(full.substring(0, split), full.substring(split));
        assertThat(k.hashCode()).as("%s split at %d", full, split).isEqualTo(full.hashCode());
        assertThat(k).isEqualTo(whole);
        assertThat(k.toString()).isEqualTo(full);
      }
    }
  }

  @Test
  void differentKeysDiffer() {
    assertThat(StoreKey.of("emb:a:", "1"))
        .isNotEqualTo(StoreKey.of("emb:a:", "2"))
        .isNotEqualTo(StoreKey.of("emb:a:1", "0"))
        .isNotEqualTo(StoreKey.of("emb:b:", "1"));
    assertThat(StoreKey.of("ab", "c")).isNotEqualTo(StoreKey.of("a", "bd"));
  }

  @Test
  void startsWithLooksAcrossTheSplit() {
    StoreKey k = StoreKey.of("emb:ns:", "abc");
    assertThat(k.startsWith("emb:")).isTrue();
    assertThat(k.startsWith("emb:ns:")).isTrue();
    assertThat(k.startsWith("emb:ns:ab")).isTrue();
    assertThat(k.startsWith("emb:ns:abc")).isTrue();
    assertThat(k.startsWith("emb:ns:abcd")).isFalse();
    assertThat(k.startsWith("emb:nt")).isFalse();
    assertThat(k.startsWith("emb:ns:b")).isFalse();
  }
}

package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.StableKey;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StableKeyEncoderTest {
  enum Mode {
    FAST,
    SLOW
  }

  record Query(String text, int limit, Mode mode, List<String> tags) {}

  record Ref(UUID id) implements StableKey {
    @Override
    public String stableKey() {
      return id.toString();
    }
  }

  private static String hash(Object... args) {
    return StableKeyEncoder.hash(args, "Test.m()");
  }

  @Test
  void theEncodingIsFixedAcrossRunsAndMachines() {
    // pinned: any change here changes every cache key and must bump StableKeyEncoder.VERSION
    assertThat(hash("hello", 42))
        .isEqualTo(
            StableKeyEncoder.sha256Hex(
                new byte[] {
                  1, 0, 0, 0, 2, 'S', 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 'I', 0, 0, 0, 42
                }));
  }

  @Test
  void equalValuesHaveEqualKeys() {
    UUID id = UUID.randomUUID();
    assertThat(
            hash(
                new Query("q", 5, Mode.FAST, List.of("a", "b")),
                new Ref(id),
                Instant.parse("2024-01-01T00:00:00Z"),
                LocalDate.of(2024, 1, 1),
                new BigDecimal("1.50"),
                URI.create("https://x/y"),
                Optional.of(3),
                new int[] {1, 2},
                null))
        .isEqualTo(
            hash(
                new Query("q", 5, Mode.FAST, new ArrayList<>(List.of("a", "b"))),
                new Ref(UUID.fromString(id.toString())),
                Instant.parse("2024-01-01T00:00:00Z"),
                LocalDate.parse("2024-01-01"),
                new BigDecimal("1.50"),
                URI.create("https://x/y"),
                Optional.of(3),
                new int[] {1, 2},
                null));
  }

  @Test
  void setsAndMapsDoNotDependOnIterationOrder() {
    Set<String> a = new LinkedHashSet<>(List.of("x", "y", "z"));
    Set<String> b = new TreeSet<>(List.of("z", "y", "x"));
    Set<String> c = new HashSet<>(List.of("y", "z", "x"));
    assertThat(hash(a)).isEqualTo(hash(b)).isEqualTo(hash(c));
    Map<String, Integer> m1 = new LinkedHashMap<>();
    m1.put("one", 1);
    m1.put("two", 2);
    Map<String, Integer> m2 = new HashMap<>();
    m2.put("two", 2);
    m2.put("one", 1);
    assertThat(hash(m1)).isEqualTo(hash(m2));
  }

  @Test
  void differentValuesAndTypesHaveDifferentKeys() {
    List<String> keys =
        List.of(
            hash(1),
            hash(1L),
            hash("1"),
            hash(1.0),
            hash(1.0f),
            hash((short) 1),
            hash(new BigDecimal("1.0")),
            hash(new BigDecimal("1.00")),
            hash(List.of(1)),
            hash((Object) new Object[] {1}),
            hash(Set.of(1)),
            hash(Optional.of(1)),
            hash((Object) null),
            hash(),
            hash(1, null),
            hash(null, 1),
            hash("a", "bc"),
            hash("ab", "c"),
            hash(List.of("a"), List.of()),
            hash(List.of(), List.of("a")),
            hash(Mode.FAST),
            hash(Mode.SLOW),
            hash(new int[] {1}),
            hash(new long[] {1}));
    assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);
  }

  @Test
  void anArgumentWithoutAStableRepresentationIsRefusedByPosition() {
    assertThatThrownBy(() -> hash("ok", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Test.m()")
        .hasMessageContaining("argument 1")
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("StableKey");
    assertThatThrownBy(() -> hash(List.of("ok", Map.of("k", new StringBuilder()))))
        .hasMessageContaining("argument 0[1].value")
        .hasMessageContaining("StringBuilder");
  }

  @Test
  void aCycleIsRefusedNotAStackOverflow() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> hash(cycle)).hasMessageContaining("nested deeper");
  }
}

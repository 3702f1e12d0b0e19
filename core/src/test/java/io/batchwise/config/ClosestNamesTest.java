package io.batchwise.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The "did you mean" hints for an unknown option name. */
class ClosestNamesTest {
  private static final List<String> KNOWN =
      List.of(
          "local.model",
          "local.pooling",
          "model",
          "hashing.dimensions",
          "openai.dimensions",
          "cache.path",
          "cache.ttl",
          "concurrency",
          "max-attempts");

  @Test
  @DisplayName("a typo finds the name it was meant to be: a missing letter, a swap, a wrong letter")
  void typos() {
    assertThat(ClosestNames.closest("locl.model", KNOWN)).first().isEqualTo("local.model");
    assertThat(ClosestNames.closest("concurrnecy", KNOWN)).containsExactly("concurrency");
    assertThat(ClosestNames.closest("cache.pat", KNOWN)).first().isEqualTo("cache.path");
  }

  @Test
  @DisplayName("a name without its namespace finds the namespaced ones, at most three")
  void namespaces() {
    assertThat(ClosestNames.closest("dimensions", KNOWN))
        .containsExactly("hashing.dimensions", "openai.dimensions");
    List<String> many = List.of("a.size", "b.size", "c.size", "d.size", "e.size");
    assertThat(ClosestNames.closest("size", many))
        .hasSize(ClosestNames.MAX_SUGGESTIONS)
        .containsExactly("a.size", "b.size", "c.size");
  }

  @Test
  @DisplayName("nothing is suggested for a name unlike any known one")
  void nothingClose() {
    assertThat(ClosestNames.closest("frobnicate", KNOWN)).isEmpty();
  }

  @Test
  @DisplayName(
      "the distance counts inserts, deletes, replacements and swaps of neighbours as one edit each")
  void distance() {
    assertThat(ClosestNames.distance("model", "model")).isZero();
    assertThat(ClosestNames.distance("modle", "model")).isEqualTo(1);
    assertThat(ClosestNames.distance("mode", "model")).isEqualTo(1);
    assertThat(ClosestNames.distance("modxl", "model")).isEqualTo(1);
    assertThat(ClosestNames.distance("", "abc")).isEqualTo(3);
  }
}

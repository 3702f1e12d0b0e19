package io.batchwise.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Validation and grouping of identical texts, by the first stage's own table of distinct texts. */
class DeduplicatorTest {

  private static List<Integer> indexes(PendingText p) {
    return IntStream.range(0, p.indexCount).map(p::index).boxed().toList();
  }

  @Test
  @DisplayName(
      "distinct texts come in order of first appearance, each with its positions ascending")
  void groupsIdenticalTextsInOrder() {
    Embedding[] out = new Embedding[7];
    List<PendingText> unique =
        new Deduplicator(100, Runnable::run)
            .dedupe(List.of("b", "a", "b", "c", "a", "b", "d"), out);
    assertThat(unique).extracting(p -> p.text).containsExactly("b", "a", "c", "d");
    assertThat(unique)
        .extracting(DeduplicatorTest::indexes)
        .containsExactly(List.of(0, 2, 5), List.of(1, 4), List.of(3), List.of(6));
    assertThat(out).containsOnlyNulls();
  }

  @Test
  @DisplayName("texts with the same hash code stay apart; equal texts made apart are grouped")
  void textsOfEqualHashAreNotConfused() {
    // "Aa" and "BB" share String.hashCode, as do all eight concatenations of three of them
    List<String> colliding = new ArrayList<>();
    for (String a : List.of("Aa", "BB")) {
      for (String b : List.of("Aa", "BB")) {
        for (String c : List.of("Aa", "BB")) {
          colliding.add(a + b + c);
        }
      }
    }
    assertThat(colliding.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
    List<String> texts = new ArrayList<>(colliding);
    for (String s : colliding) {
      texts.add(new String(s.toCharArray())); // equal, not the same instance
    }
    List<PendingText> unique =
        new Deduplicator(100, Runnable::run).dedupe(texts, new Embedding[texts.size()]);
    assertThat(unique).extracting(p -> p.text).containsExactlyElementsOf(colliding);
    for (int k = 0; k < unique.size(); k++) {
      assertThat(indexes(unique.get(k))).containsExactly(k, k + colliding.size());
    }
  }

  @Test
  @DisplayName("100,000 inputs on a pool: every position lands in exactly one group, invalid apart")
  void largeInputsOnAPoolKeepEveryPosition() {
    int n = 100_000;
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      texts.add(i % 1000 == 7 ? " " : "text " + (i % 30_000)); // a third distinct, some blank
    }
    Embedding[] out = new Embedding[n];
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<PendingText> unique;
    try {
      unique = new Deduplicator(100, pool).dedupe(texts, out);
    } finally {
      pool.shutdownNow();
    }
    int[] seen = new int[n];
    for (PendingText p : unique) {
      List<Integer> at = indexes(p);
      assertThat(at).isSorted();
      assertThat(p.firstIndex).isEqualTo(at.get(0));
      for (int i : at) {
        assertThat(texts.get(i)).isEqualTo(p.text);
        seen[i]++;
      }
    }
    for (int i = 0; i < n; i++) {
      boolean blank = i % 1000 == 7;
      assertThat(seen[i]).as("groups holding input %d", i).isEqualTo(blank ? 0 : 1);
      assertThat(out[i] != null).as("failure of input %d", i).isEqualTo(blank);
    }
    assertThat(out[7].error()).hasMessage("input 7 is whitespace only");
    assertThat(unique).hasSize((int) texts.stream().filter(t -> !t.isBlank()).distinct().count());
    assertThat(Arrays.stream(out).filter(e -> e != null).count()).isEqualTo(100);
  }

  @Test
  @DisplayName("an unpaired surrogate is found at its char, a pair is not")
  void unpairedSurrogates() {
    String pair = "\uD83D\uDE00"; // one emoji, a high and a low surrogate
    assertThat(Deduplicator.unpairedSurrogate("plain text")).isEqualTo(-1);
    assertThat(Deduplicator.unpairedSurrogate("a" + pair + "b" + pair)).isEqualTo(-1);
    assertThat(Deduplicator.unpairedSurrogate("ab\uD83D")).isEqualTo(2); // high at the end
    assertThat(Deduplicator.unpairedSurrogate("ab\uD83Dc")).isEqualTo(2); // high, then no low
    assertThat(Deduplicator.unpairedSurrogate("a\uDE00")).isEqualTo(1); // low alone
    assertThat(Deduplicator.unpairedSurrogate("\uDE00\uD83D")).isEqualTo(0); // reversed pair
    assertThat(Deduplicator.unpairedSurrogate(pair + "\uD83D\uD83D")).isEqualTo(2); // two highs
    assertThat(Deduplicator.unpairedSurrogate("\u00ff\uD7FF\uE000\uFFFF")).isEqualTo(-1);
  }

  @Test
  @DisplayName("the table is a power of two at least twice the inputs, and at least 16")
  void tableSize() {
    assertThat(Deduplicator.tableSize(0)).isEqualTo(16);
    assertThat(Deduplicator.tableSize(8)).isEqualTo(16);
    assertThat(Deduplicator.tableSize(9)).isEqualTo(32);
    assertThat(Deduplicator.tableSize(100_000)).isEqualTo(262_144);
  }
}

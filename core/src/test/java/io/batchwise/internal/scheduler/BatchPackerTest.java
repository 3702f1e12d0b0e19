package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.PackingPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Greedy token-aware packing from a lazy source. */
class BatchPackerTest {
  private final List<Object[]> rejected = new ArrayList<>();

  private BatchPacker<String> packer(List<String> items, JobOptions<String> options) {
    return new BatchPacker<>(
        items.iterator(), options, (p, e) -> rejected.add(new Object[] {p, e}));
  }

  private static List<List<PackedItem<String>>> all(BatchPacker<String> packer, int maxItems) {
    List<List<PackedItem<String>>> out = new ArrayList<>();
    PackedBatch<String> b;
    while ((b = packer.next(maxItems)) != null) {
      out.add(b.toItems());
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  @DisplayName(
      "never exceeds maxItems or maxTokens, loses nothing and keeps input order (random sizes)")
  void limitsHoldForRandomSizes(long seed) {
    Random r = new Random(seed);
    int maxItems = 1 + r.nextInt(8);
    int maxTokens = 5 + r.nextInt(200);
    int window = maxTokens + r.nextInt(200);
    List<String> items = new ArrayList<>();
    for (int i = 0, n = r.nextInt(400); i < n; i++) {
      items.add("x".repeat(r.nextInt(window + 20)));
    }
    BatchPacker<String> packer =
        packer(
            items,
            JobOptions.<String>builder()
                .maxItems(maxItems)
                .maxTokens(maxTokens)
                .contextWindow(window)
                .tokenCounter(String::length)
                .build());

    List<List<PackedItem<String>>> batches = all(packer, maxItems);

    List<Long> seen = new ArrayList<>();
    for (List<PackedItem<String>> b : batches) {
      long tokens = b.stream().mapToLong(PackedItem::tokens).sum();
      assertThat(b).hasSizeBetween(1, maxItems);
      if (tokens > maxTokens) {
        assertThat(b).as("an item over maxTokens runs alone").hasSize(1);
        assertThat(tokens).isLessThanOrEqualTo(window);
      }
      b.forEach(p -> seen.add(p.index()));
    }
    rejected.forEach(x -> seen.add(((PackedItem<?>) x[0]).index()));
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, items.size()).boxed().toList());
    assertThat(rejected)
        .allSatisfy(x -> assertThat(((PackedItem<?>) x[0]).tokens()).isGreaterThan(window));
    List<Long> packedOrder = batches.stream().flatMap(List::stream).map(PackedItem::index).toList();
    assertThat(packedOrder).isSorted();
  }

  @Test
  @DisplayName("packs greedily: a batch closes when the next item would break a limit")
  void greedy() {
    BatchPacker<String> packer =
        packer(
            List.of("aaa", "aaa", "aaaa", "a", "aaaaaaaa", "a"),
            JobOptions.<String>builder()
                .maxItems(3)
                .maxTokens(7)
                .contextWindow(10)
                .tokenCounter(String::length)
                .build());
    List<List<String>> batches =
        all(packer, 3).stream().map(b -> b.stream().map(PackedItem::item).toList()).toList();
    assertThat(batches)
        .containsExactly(
            List.of("aaa", "aaa"), List.of("aaaa", "a"), List.of("aaaaaaaa"), List.of("a"));
  }

  @Test
  @DisplayName(
      "an item over the context window fails alone with a message naming index, tokens and window")
  void oversizeFails() {
    BatchPacker<String> packer =
        packer(
            List.of("ok", "y".repeat(11), "ok"),
            JobOptions.<String>builder()
                .maxTokens(5)
                .contextWindow(10)
                .tokenCounter(String::length)
                .build());
    assertThat(all(packer, 4)).hasSize(1).allSatisfy(b -> assertThat(b).hasSize(2));
    assertThat(rejected).hasSize(1);
    assertThat((Throwable) rejected.get(0)[1])
        .hasMessage(
            "item 1 has 11 tokens, over the context window of 10 tokens; split it first or choose splitOversize(...)");
  }

  @Test
  @DisplayName("SPLIT packs the pieces as items sharing the index, in their own result slots")
  void oversizeSplits() {
    BatchPacker<String> packer =
        packer(
            List.of("a", "bbbbbbbbbbbb", "c"),
            JobOptions.<String>builder()
                .maxItems(10)
                .maxTokens(5)
                .contextWindow(10)
                .tokenCounter(String::length)
                .splitOversize(s -> Arrays.asList(s.substring(0, 6), s.substring(6)))
                .build());
    List<PackedItem<String>> packed = all(packer, 10).stream().flatMap(List::stream).toList();
    assertThat(packed).extracting(PackedItem::item).containsExactly("a", "bbbbbb", "bbbbbb", "c");
    assertThat(packed).extracting(PackedItem::index).containsExactly(0L, 1L, 1L, 2L);
    assertThat(packed).extracting(PackedItem::slot).containsExactly(0L, 1L, 2L, 3L);
    assertThat(rejected).isEmpty();
  }

  @Test
  @DisplayName(
      "a piece still over the window, a throwing counter or a negative count fails that item alone")
  void badMeasurements() {
    BatchPacker<String> packer =
        packer(
            List.of("boom", "neg", "zzzzzzzzzzzz", "fine"),
            JobOptions.<String>builder()
                .maxTokens(5)
                .contextWindow(10)
                .tokenCounter(
                    s ->
                        switch (s) {
                          case "boom" -> throw new IllegalStateException("tokenizer crashed");
                          case "neg" -> -1;
                          default -> s.length();
                        })
                .splitOversize(s -> List.of(s))
                .build());
    assertThat(all(packer, 4)).extracting(b -> b.get(0).item()).containsExactly("fine");
    assertThat(rejected)
        .extracting(x -> ((Throwable) x[1]).getMessage())
        .containsExactly(
            "the token counter failed on item 0: java.lang.IllegalStateException: tokenizer crashed",
            "the token counter returned -1 for item 1; counts must be at least 0",
            "a piece of item 2 still has 12 tokens, over the context window of 10 tokens; the splitter must cut smaller");
  }

  @Test
  @DisplayName("reads only what the next batch needs, plus at most one look-ahead item")
  void readsLazily() {
    ManualScheduler.CountingSource<String> source = ManualScheduler.CountingSource.words(1_000_000);
    BatchPacker<String> packer =
        new BatchPacker<>(
            source,
            JobOptions.<String>builder().maxItems(4).maxTokens(10).tokenCounter(s -> 3).build(),
            (p, e) -> {});
    assertThat(packer.next(4).toItems()).hasSize(3);
    assertThat(source.read.get()).isEqualTo(4);
    assertThat(packer.pendingCount()).isEqualTo(1);
    assertThat(packer.next(4).toItems()).hasSize(3);
    assertThat(source.read.get()).isEqualTo(7);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  @DisplayName("counting ahead on a pool packs exactly the batches that counting in place packs")
  void countingAheadPacksTheSame(long seed) {
    Random r = new Random(seed);
    List<String> items = new ArrayList<>();
    for (int i = 0, n = 2000 + r.nextInt(2000); i < n; i++) {
      items.add("x".repeat(r.nextInt(120)));
    }
    JobOptions<String> inPlace =
        JobOptions.<String>builder()
            .maxItems(16)
            .maxTokens(400)
            .contextWindow(400)
            .concurrency(2)
            .tokenCounter(String::length)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (PackingPolicy policy :
          List.of(PackingPolicy.inOrder(), PackingPolicy.lengthSorted(600))) {
        JobOptions<String> plain = inPlace.toBuilder().packing(policy).build();
        JobOptions<String> ahead = inPlace.toBuilder().packing(policy.countingAhead()).build();
        List<List<Long>> expected = indexes(all(packer(items, plain), 16));
        List<List<Long>> actual =
            indexes(
                all(
                    new BatchPacker<>(
                        items.iterator(), ahead, (p, e) -> rejected.add(new Object[] {p, e}), pool),
                    16));
        assertThat(actual).as(policy.toString()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(rejected).isEmpty();
  }

  private static List<List<Long>> indexes(List<List<PackedItem<String>>> batches) {
    return batches.stream().map(b -> b.stream().map(PackedItem::index).toList()).toList();
  }

  @Test
  @DisplayName(
      "length-sorted: rows × longest row within the budget, heaviest first; an item over the budget fails alone")
  void lengthSorted() {
    List<String> items = List.of("aaaaaaaa", "a", "aaaaaaaa", "aa", "a".repeat(17), "aaa");
    BatchPacker<String> packer =
        packer(
            items,
            JobOptions.<String>builder()
                .maxItems(4)
                .maxTokens(100)
                .contextWindow(100)
                .tokenCounter(String::length)
                .packing(PackingPolicy.lengthSorted(16))
                .build());
    List<List<Long>> batches = indexes(all(packer, 4));
    // sorted: a(1) aa(3) aaa(5) aaaaaaaa(0) aaaaaaaa(2); [1,3,5] pads to 3×3=9, then 4×8 > 16 cuts
    assertThat(batches).containsExactly(List.of(0L, 2L), List.of(1L, 3L, 5L));
    assertThat(rejected).hasSize(1);
    assertThat(((PackedItem<?>) rejected.get(0)[0]).index()).isEqualTo(4);
    assertThat(((Throwable) rejected.get(0)[1]))
        .hasMessage(
            "item 4 has 17 tokens, over the token-position budget of 16 (rows × longest row per batch)");
  }

  @Test
  @DisplayName("length-sorted: a stop hands back every item not yet in a batch, in input order")
  void lengthSortedDrain() {
    BatchPacker<String> packer =
        packer(
            List.of("aaaa", "a", "aaaa", "aa", "a"),
            JobOptions.<String>builder()
                .maxItems(2)
                .maxTokens(100)
                .contextWindow(100)
                .tokenCounter(String::length)
                .packing(PackingPolicy.lengthSorted(8))
                .build());
    // sorted a(1) a(4) aa(3) aaaa(0) aaaa(2), cut [1,4] [3,0] [2]; [3,0] pads to 2×4, the heaviest
    assertThat(packer.next(2).toItems()).extracting(PackedItem::index).containsExactly(3L, 0L);
    assertThat(packer.pendingCount()).isEqualTo(3);
    packer.stop();
    assertThat(packer.drainPending()).extracting(PackedItem::index).containsExactly(1L, 2L, 4L);
    assertThat(packer.finished()).isTrue();
  }
}

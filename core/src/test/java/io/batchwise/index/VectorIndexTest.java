package io.batchwise.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.EmbedResult;
import io.batchwise.spi.InputType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorIndexTest {

  static float[] randomVector(Random random, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /** Brute force: every cosine in double precision, fully sorted. */
  static List<String> bruteForce(List<float[]> vectors, float[] query, int k) {
    List<Integer> order = new ArrayList<>();
    double[] scores = new double[vectors.size()];
    for (int i = 0; i < vectors.size(); i++) {
      scores[i] = cosine(vectors.get(i), query);
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]));
    return order.subList(0, Math.min(k, order.size())).stream().map(i -> "v" + i).toList();
  }

  @ParameterizedTest(name = "{0} vectors of {1} dimensions, k={2}")
  @CsvSource({"1, 8, 1", "50, 8, 5", "500, 64, 10", "3000, 384, 10", "3000, 384, 100"})
  @DisplayName("top k equals brute force, sequential and parallel scans alike")
  void matchesBruteForce(int n, int dims, int k) {
    Random random = new Random(n * 31L + dims);
    VectorIndex index = VectorIndex.create(dims);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = randomVector(random, dims);
      vectors.add(v);
      index.add("v" + i, v, Map.of("n", Integer.toString(i)));
    }
    for (int q = 0; q < 5; q++) {
      float[] query = randomVector(random, dims);
      List<SearchHit> hits = index.search(query, k);
      assertThat(hits)
          .extracting(SearchHit::id)
          .containsExactlyElementsOf(bruteForce(vectors, query, k));
      for (SearchHit h : hits) {
        int i = Integer.parseInt(h.id().substring(1));
        assertThat((double) h.score()).isCloseTo(cosine(vectors.get(i), query), within(1e-4));
        assertThat(h.metadata()).containsEntry("n", Integer.toString(i));
      }
      for (int i = 1; i < hits.size(); i++) {
        assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
      }
    }
  }

  @Test
  @DisplayName(
      "scores are cosines: the same direction scores 1, the opposite -1, whatever the length")
  void scoresAreCosines() {
    VectorIndex index = VectorIndex.create(3);
    index.add("x", new float[] {3, 0, 0});
    index.add("minus-x", new float[] {-0.5f, 0, 0});
    index.add("y", new float[] {0, 7, 0});
    List<SearchHit> hits = index.search(new float[] {10, 0, 0}, 3);
    assertThat(hits).extracting(SearchHit::id).containsExactly("x", "y", "minus-x");
    assertThat(hits).extracting(SearchHit::score).containsExactly(1f, 0f, -1f);
  }

  @Test
  @DisplayName(
      "k larger than the index returns every entry; an empty index returns none; k < 1 fails")
  void kBounds() {
    VectorIndex index = VectorIndex.create(2);
    assertThat(index.search(new float[] {1, 0}, 5)).isEmpty();
    index.add("a", new float[] {1, 0});
    index.add("b", new float[] {0, 1});
    assertThat(index.search(new float[] {1, 1}, 10)).hasSize(2);
    assertThatThrownBy(() -> index.search(new float[] {1, 1}, 0)).hasMessageContaining("k was 0");
  }

  @Test
  @DisplayName("ties go to the entry stored first")
  void tiesToFirst() {
    VectorIndex index = VectorIndex.create(2);
    index.add("first", new float[] {1, 1});
    index.add("second", new float[] {2, 2});
    assertThat(index.search(new float[] {1, 1}, 1))
        .extracting(SearchHit::id)
        .containsExactly("first");
  }

  @Test
  @DisplayName("bad vectors fail naming the id and the dimensions; a repeated id fails")
  void badVectors() {
    VectorIndex index = VectorIndex.create(4);
    assertThatThrownBy(() -> index.add("a", new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'")
        .hasMessageContaining("3 dimensions")
        .hasMessageContaining("4");
    assertThatThrownBy(() -> index.add("z", new float[4]))
        .hasMessageContaining("'z'")
        .hasMessageContaining("all zeros");
    assertThatThrownBy(() -> index.add("n", new float[] {1, Float.NaN, 0, 0}))
        .hasMessageContaining("'n'")
        .hasMessageContaining("NaN")
        .hasMessageContaining("position 1");
    assertThatThrownBy(() -> index.search(new float[5], 1))
        .hasMessageContaining("query has 5 dimensions");
    index.add("a", new float[] {1, 0, 0, 0});
    assertThatThrownBy(() -> index.add("a", new float[] {0, 1, 0, 0}))
        .hasMessageContaining("'a' is already");
    assertThat(index.size()).isEqualTo(1);
    assertThatThrownBy(() -> VectorIndex.create(0)).hasMessageContaining("dimensions was 0");
  }

  @Test
  @DisplayName("the index keeps its own unit-length copy of each vector")
  void copiesAndNormalizes() {
    VectorIndex index = VectorIndex.create(2);
    float[] v = {3, 4};
    index.add("a", v);
    v[0] = -100;
    assertThat(index.vector("a"))
        .hasValueSatisfying(s -> assertThat(s).containsExactly(0.6f, 0.8f));
  }

  @Test
  @DisplayName(
      "remove takes the entry out; the entry moved into its place keeps its id, vector and metadata")
  void remove() {
    Random random = new Random(3);
    VectorIndex index = VectorIndex.create(16);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      vectors.add(randomVector(random, 16));
      index.add("v" + i, vectors.get(i), Map.of("n", "" + i));
    }
    assertThat(index.remove("v3")).isTrue();
    assertThat(index.remove("v3")).isFalse();
    assertThat(index.remove("nope")).isFalse();
    assertThat(index.size()).isEqualTo(19);
    assertThat(index.contains("v3")).isFalse();
    assertThat(index.search(vectors.get(3), 19)).extracting(SearchHit::id).doesNotContain("v3");
    // v19 (the last) moved into v3's place: still found first for its own vector, with its metadata
    SearchHit top = index.search(vectors.get(19), 1).get(0);
    assertThat(top.id()).isEqualTo("v19");
    assertThat(top.metadata()).containsEntry("n", "19");
    assertThat(top.score()).isCloseTo(1f, within(1e-5f));
    assertThat(index.remove("v19")).isTrue(); // removing what is now a middle entry
    assertThat(index.remove("v18")).isTrue(); // and the last one
    index.add("v3", vectors.get(3));
    assertThat(index.search(vectors.get(3), 1).get(0).id()).isEqualTo("v3");
    assertThat(index.ids()).hasSize(18).doesNotHaveDuplicates().doesNotContain("v18", "v19");
  }

  @Test
  @DisplayName("addBatch embeds the whole batch in one call and records the embedder's identity")
  void addBatchOneCall() {
    CountingHashEmbedder embedder = new CountingHashEmbedder("hash-64", 64);
    VectorIndex index = VectorIndex.create(64);
    List<IndexDocument> docs =
        List.of(
            new IndexDocument("cats", "cats purr and sleep in the sun", Map.of("topic", "pets")),
            IndexDocument.of("stocks", "stock markets fell as rates rose"),
            IndexDocument.of("bread", "knead the dough and let the bread rise"));
    EmbedResult result = index.addBatch(docs, embedder);
    assertThat(embedder.embedAllCalls).hasValue(1);
    assertThat(result.allSucceeded()).isTrue();
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.identity())
        .hasValue(
            new IndexIdentity(
                "hash", "hash-64", 64, new TreeMap<>(Map.of(IndexIdentity.NORMALIZED, "true"))));
    List<SearchHit> hits = index.search("do cats sleep in the sun", 1, embedder);
    assertThat(hits.get(0).id()).isEqualTo("cats");
    assertThat(hits.get(0).metadata()).containsEntry("topic", "pets");
    // documents are embedded as documents, the search text as a query
    assertThat(embedder.inputTypes).containsExactly(InputType.DOCUMENT, InputType.QUERY);
  }

  @Test
  @DisplayName("addBatch adds every document that embedded and reports the ones that failed")
  void addBatchPartialFailure() {
    CountingHashEmbedder embedder = new CountingHashEmbedder("hash-32", 32);
    VectorIndex index = VectorIndex.create(32);
    EmbedResult result =
        index.addBatch(
            List.of(
                IndexDocument.of("a", "alpha"),
                IndexDocument.of("b", "FAIL beta"),
                IndexDocument.of("c", "gamma")),
            embedder);
    assertThat(result.failures()).extracting(e -> e.index()).containsExactly(1L);
    assertThat(index.ids()).containsExactly("a", "c");
  }

  @Test
  @DisplayName("addBatch checks ids before embedding anything")
  void addBatchChecksIds() {
    CountingHashEmbedder embedder = new CountingHashEmbedder("hash-32", 32);
    VectorIndex index = VectorIndex.create(32);
    index.add("a", CountingHashEmbedder.vectorOf("alpha", 32));
    assertThatThrownBy(
            () ->
                index.addBatch(
                    List.of(IndexDocument.of("b", "x"), IndexDocument.of("a", "y")), embedder))
        .hasMessageContaining("document 1")
        .hasMessageContaining("'a' is already");
    assertThatThrownBy(
            () ->
                index.addBatch(
                    List.of(IndexDocument.of("b", "x"), IndexDocument.of("b", "y")), embedder))
        .hasMessageContaining("document 1")
        .hasMessageContaining("'b' appears earlier");
    assertThat(embedder.embedAllCalls).hasValue(0);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("an embedder of other dimensions or another model is refused")
  void refusesOtherModels() {
    VectorIndex index = VectorIndex.create(32);
    index.addBatch(List.of(IndexDocument.of("a", "alpha")), new CountingHashEmbedder("hash-a", 32));
    assertThatThrownBy(
            () ->
                index.addBatch(
                    List.of(IndexDocument.of("b", "beta")), new CountingHashEmbedder("hash-b", 32)))
        .hasMessageContaining("hash/hash-a")
        .hasMessageContaining("hash/hash-b");
    assertThatThrownBy(() -> index.search("alpha", 1, new CountingHashEmbedder("hash-b", 32)))
        .hasMessageContaining("cannot be compared");
    assertThatThrownBy(() -> index.search("alpha", 1, new CountingHashEmbedder("hash-a", 16)))
        .hasMessageContaining("16 dimensions")
        .hasMessageContaining("32");
  }

  @Test
  @DisplayName("through a real Batchwise embedder, each document is its own nearest neighbour")
  void throughBatchwise() {
    try (io.batchwise.Batchwise bw =
        io.batchwise.Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("fake")
            .option("fake.dimensions", "24")
            .build()) {
      VectorIndex index = VectorIndex.create(24);
      List<IndexDocument> docs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        docs.add(IndexDocument.of("d" + i, "document text number " + i));
      }
      EmbedResult result = index.addBatch(docs, bw.embedder());
      assertThat(result.usage().inputs()).isEqualTo(40);
      assertThat(index.size()).isEqualTo(40);
      assertThat(index.identity().orElseThrow().provider()).isEqualTo("fake");
      for (int i = 0; i < 40; i += 7) {
        SearchHit top = index.search("document text number " + i, 1, bw.embedder()).get(0);
        assertThat(top.id()).isEqualTo("d" + i);
        assertThat(top.score()).isCloseTo(1f, within(1e-5f));
      }
    }
  }

  @Test
  @DisplayName("searches run safely while entries are added and removed")
  void concurrentUse() throws Exception {
    int dims = 32;
    VectorIndex index = VectorIndex.create(dims);
    Random random = new Random(5);
    for (int i = 0; i < 200; i++) {
      index.add("base" + i, randomVector(random, dims));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        futures.add(
            pool.submit(
                () -> {
                  Random r = new Random();
                  for (int i = 0; i < 500; i++) {
                    List<SearchHit> hits = index.search(randomVector(r, dims), 5);
                    assertThat(hits).hasSize(5);
                  }
                  return null;
                }));
      }
      futures.add(
          pool.submit(
              () -> {
                Random r = new Random(1);
                for (int i = 0; i < 300; i++) {
                  index.add("new" + i, randomVector(r, dims));
                  if (i % 3 == 0) {
                    index.remove("new" + (i / 3));
                  }
                }
                return null;
              }));
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(index.size()).isEqualTo(200 + 300 - 100);
  }
}

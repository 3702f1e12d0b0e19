package io.batchwise.internal.index;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.index.IndexDocument;
import io.batchwise.index.IndexIdentity;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import io.batchwise.spi.InputType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link VectorIndex}: a {@link VectorStore} of unit vectors, each row's id and metadata, an
 * id-to-row map, and a read-write lock. A search scans every row (exact, not approximate) with a
 * bounded heap; above {@link #PARALLEL_MIN_FLOATS} floats it splits the rows into one chunk per
 * core, scans them on the common fork-join pool and the calling thread, and merges the chunks'
 * heaps.
 */
public final class FlatVectorIndex implements VectorIndex {
  /**
   * Below this many floats a scan takes well under a millisecond on one core, less than handing
   * chunks to other threads costs; above it the scan is memory-bound and scales with the cores.
   */
  static final int PARALLEL_MIN_FLOATS = 1 << 20;

  private final int dimensions;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final VectorStore store;
  private final List<String> ids;
  private final List<Map<String, String>> metadata;
  private final Map<String, Integer> rowOf;
  private IndexIdentity identity;

  /**
   * An empty index.
   *
   * @param dimensions the vector length, 1 to {@link VectorIndex#MAX_DIMENSIONS}
   */
  public FlatVectorIndex(int dimensions) {
    this(
        checkDimensions(dimensions),
        new VectorStore(dimensions),
        new ArrayList<>(),
        new ArrayList<>(),
        null);
  }

  private FlatVectorIndex(
      int dimensions,
      VectorStore store,
      List<String> ids,
      List<Map<String, String>> metadata,
      IndexIdentity identity) {
    this.dimensions = dimensions;
    this.store = store;
    this.ids = ids;
    this.metadata = metadata;
    this.identity = identity;
    this.rowOf = new HashMap<>(Math.max(16, ids.size() * 2));
    for (int r = 0; r < ids.size(); r++) {
      if (rowOf.put(ids.get(r), r) != null) {
        throw new IllegalArgumentException("id '" + ids.get(r) + "' appears twice");
      }
    }
  }

  /**
   * An index over rows read from a file.
   *
   * @param dimensions the vector length
   * @param vectors {@code ids.size() × dimensions} unit-length floats, taken over
   * @param ids each row's id, unique
   * @param metadata each row's metadata
   * @param identity the vectors' identity, or null when none was recorded
   * @return the index
   * @throws IllegalArgumentException when an id repeats, or the identity's dimensions differ
   */
  static FlatVectorIndex restore(
      int dimensions,
      float[] vectors,
      List<String> ids,
      List<Map<String, String>> metadata,
      IndexIdentity identity) {
    if (identity != null && identity.dimensions() != dimensions) {
      throw new IllegalArgumentException(
          "the identity " + identity + " does not have the index's " + dimensions + " dimensions");
    }
    return new FlatVectorIndex(
        checkDimensions(dimensions),
        VectorStore.wrap(dimensions, vectors, ids.size()),
        new ArrayList<>(ids),
        new ArrayList<>(metadata),
        identity);
  }

  private static int checkDimensions(int dimensions) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "dimensions was " + dimensions + "; it must be in [1, " + MAX_DIMENSIONS + "]");
    }
    return dimensions;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public int size() {
    lock.readLock().lock();
    try {
      return store.rows();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public boolean contains(String id) {
    lock.readLock().lock();
    try {
      return rowOf.containsKey(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<String> ids() {
    lock.readLock().lock();
    try {
      return List.copyOf(ids);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<Map<String, String>> metadata(String id) {
    lock.readLock().lock();
    try {
      Integer row = rowOf.get(id);
      return row == null ? Optional.empty() : Optional.of(metadata.get(row));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<float[]> vector(String id) {
    lock.readLock().lock();
    try {
      Integer row = rowOf.get(id);
      return row == null ? Optional.empty() : Optional.of(store.row(row));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<IndexIdentity> identity() {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(identity);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void recordIdentity(IndexIdentity recorded) {
    Objects.requireNonNull(recorded, "identity");
    if (recorded.dimensions() != dimensions) {
      throw new IllegalArgumentException(
          "the identity " + recorded + " does not have this index's " + dimensions + " dimensions");
    }
    lock.writeLock().lock();
    try {
      if (identity != null && !identity.matches(recorded)) {
        throw new IllegalArgumentException(
            "this index holds vectors of "
                + identity
                + ", not of "
                + recorded
                + "; vectors of different models cannot be compared");
      }
      identity = identity == null ? recorded : recorded.merge(identity);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void add(String id, float[] vector, Map<String, String> entryMetadata) {
    Objects.requireNonNull(id, "id");
    float[] unit = UnitVectors.normalizedCopy(vector, dimensions, "vector for id '" + id + "'");
    Map<String, String> meta = Map.copyOf(entryMetadata);
    lock.writeLock().lock();
    try {
      if (rowOf.containsKey(id)) {
        throw new IllegalArgumentException(
            "id '" + id + "' is already in the index; remove it first");
      }
      append(id, unit, meta);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void append(String id, float[] unit, Map<String, String> meta) {
    int row = store.append(unit);
    ids.add(id);
    metadata.add(meta);
    rowOf.put(id, row);
  }

  @Override
  public EmbedResult addBatch(List<IndexDocument> documents, Embedder embedder) {
    Objects.requireNonNull(documents, "documents");
    Objects.requireNonNull(embedder, "embedder");
    requireSameModel(embedder);
    List<String> texts = new ArrayList<>(documents.size());
    lock.readLock().lock();
    try {
      requireNewIds(documents);
    } finally {
      lock.readLock().unlock();
    }
    for (IndexDocument d : documents) {
      texts.add(d.text());
    }
    EmbedResult result = embedder.embedAll(texts, InputType.DOCUMENT);
    List<float[]> units = new ArrayList<>(documents.size());
    for (Embedding e : result.embeddings()) {
      units.add(
          e.succeeded()
              ? UnitVectors.normalizedCopy(
                  e.vector(),
                  dimensions,
                  "vector of document "
                      + e.index()
                      + " ('"
                      + documents.get((int) e.index()).id()
                      + "')")
              : null);
    }
    lock.writeLock().lock();
    try {
      requireNewIds(documents); // again: another thread may have added one while we embedded
      if (identity == null) {
        identity = IndexIdentity.of(embedder);
      }
      for (int i = 0; i < documents.size(); i++) {
        if (units.get(i) != null) {
          IndexDocument d = documents.get(i);
          append(d.id(), units.get(i), d.metadata());
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    return result;
  }

  private void requireNewIds(List<IndexDocument> documents) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < documents.size(); i++) {
      IndexDocument d = Objects.requireNonNull(documents.get(i), () -> "document is null");
      if (rowOf.containsKey(d.id())) {
        throw new IllegalArgumentException(
            "document " + i + ": id '" + d.id() + "' is already in the index");
      }
      if (!seen.add(d.id())) {
        throw new IllegalArgumentException(
            "document " + i + ": id '" + d.id() + "' appears earlier in the same batch");
      }
    }
  }

  private void requireSameModel(Embedder embedder) {
    if (embedder.modelInfo().dimensions() != dimensions) {
      throw new IllegalArgumentException(
          "the embedder's model "
              + embedder.modelInfo().modelId()
              + " makes vectors of "
              + embedder.modelInfo().dimensions()
              + " dimensions; this index holds vectors of "
              + dimensions);
    }
    IndexIdentity recorded = identity().orElse(null);
    IndexIdentity theirs = IndexIdentity.of(embedder);
    if (recorded != null && !recorded.matches(theirs)) {
      throw new IllegalArgumentException(
          "this index holds vectors of "
              + recorded
              + " but the embedder makes "
              + theirs
              + "; vectors of different models cannot be compared");
    }
  }

  @Override
  public List<SearchHit> search(String query, int k, Embedder embedder) {
    Objects.requireNonNull(query, "query");
    requireSameModel(embedder);
    return search(
        embedder.embedQuery(query), k); // queries get the model's query prefix, if it has one
  }

  @Override
  public List<SearchHit> search(float[] query, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k was " + k + "; it must be at least 1");
    }
    float[] unit = UnitVectors.normalizedCopy(query, dimensions, "query");
    lock.readLock().lock();
    try {
      int rows = store.rows();
      if (rows == 0) {
        return List.of();
      }
      TopK top = scan(unit, Math.min(k, rows), rows);
      float[] scores = new float[top.size()];
      int[] best = top.drainBestFirst(scores);
      List<SearchHit> hits = new ArrayList<>(best.length);
      for (int i = 0; i < best.length; i++) {
        hits.add(new SearchHit(ids.get(best[i]), clamp(scores[i]), metadata.get(best[i])));
      }
      return hits;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Rounding can push the dot product of two unit vectors a hair past ±1. */
  private static float clamp(float score) {
    return Math.max(-1f, Math.min(1f, score));
  }

  private TopK scan(float[] query, int k, int rows) {
    int chunks =
        (long) rows * dimensions < PARALLEL_MIN_FLOATS
            ? 1
            : Math.min(Runtime.getRuntime().availableProcessors(), rows);
    if (chunks <= 1) {
      TopK top = new TopK(k);
      store.scan(query, 0, rows, top);
      return top;
    }
    int per = (rows + chunks - 1) / chunks;
    List<CompletableFuture<TopK>> others = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int from = c * per;
      int to = Math.min(rows, from + per);
      if (from >= to) {
        break;
      }
      others.add(
          CompletableFuture.supplyAsync(
              () -> {
                TopK t = new TopK(k);
                store.scan(query, from, to, t);
                return t;
              },
              ForkJoinPool.commonPool()));
    }
    TopK top = new TopK(k);
    store.scan(query, 0, Math.min(rows, per), top); // the caller scans the first chunk itself
    for (CompletableFuture<TopK> f : others) {
      top.addAll(f.join());
    }
    return top;
  }

  @Override
  public boolean remove(String id) {
    lock.writeLock().lock();
    try {
      Integer row = rowOf.remove(id);
      if (row == null) {
        return false;
      }
      int moved = store.removeByMovingLast(row);
      int last = ids.size() - 1;
      if (moved >= 0) {
        String movedId = ids.get(last);
        ids.set(row, movedId);
        metadata.set(row, metadata.get(last));
        rowOf.put(movedId, row);
      }
      ids.remove(last);
      metadata.remove(last);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void save(Path file) throws IOException {
    lock.readLock().lock();
    try {
      IndexFile.write(file, dimensions, store.data(), store.rows(), ids, metadata, identity);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "VectorIndex{dimensions="
        + dimensions
        + ", size="
        + size()
        + ", identity="
        + identity().map(IndexIdentity::toString).orElse("none")
        + "}";
  }
}

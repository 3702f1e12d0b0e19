package io.batchwise.index;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.internal.index.FlatVectorIndex;
import io.batchwise.internal.index.IndexFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An exact cosine-similarity index held in memory: every vector in one contiguous float array,
 * L2-normalized when added so that a search is one dot product per entry, with a bounded heap for
 * the top k and the scan split over the cores for large indexes. Entries have a unique id and
 * string metadata; the index saves to and loads from a versioned binary file with a CRC32 checksum.
 * Besides the entries, the index holds only the {@link IndexIdentity} of its vectors: a file is
 * data, and nothing read from it configures an embedder.
 *
 * <pre>{@code
 * VectorIndex index = VectorIndex.create(embedder.modelInfo().dimensions());
 * index.addBatch(List.of(IndexDocument.of("a", "cats purr"), IndexDocument.of("b", "stocks fell")), embedder);
 * List<SearchHit> hits = index.search("kittens", 5, embedder);   // "a" first
 * index.save(Path.of("docs.bwi"));
 * VectorIndex again = VectorIndex.load(Path.of("docs.bwi"));
 * }</pre>
 *
 * <p>Exact search is the right tool up to a few million vectors: a query reads every float once, so
 * its time follows {@code size × dimensions} (the figures: {@code BENCHMARKS.md}). Storage is one
 * Java array, so {@code size × dimensions} is at most {@value #MAX_FLOATS}.
 *
 * <p>Thread-safe: searches run concurrently; adds, removes and saves take an exclusive lock.
 */
public interface VectorIndex {
  /** The most floats the index can hold ({@code size × dimensions}): the largest Java array. */
  int MAX_FLOATS = Integer.MAX_VALUE - 8;

  /** The largest dimensions an index accepts. */
  int MAX_DIMENSIONS = 65_536;

  /**
   * An empty index.
   *
   * @param dimensions the length of every vector, 1-{@value #MAX_DIMENSIONS}
   * @return the index
   * @throws IllegalArgumentException when {@code dimensions} is out of range
   */
  static VectorIndex create(int dimensions) {
    return new FlatVectorIndex(dimensions);
  }

  /**
   * Loads an index saved with {@link #save(Path)}. The whole file's checksum is verified before
   * anything is parsed. A property of the file that is not part of the vectors' identity (such as
   * the {@code option.*} properties older command lines wrote) is ignored, with one warning logged
   * for the file.
   *
   * <pre>{@code
   * VectorIndex index = VectorIndex.load(Path.of("docs.bwi"));
   * }</pre>
   *
   * @param file the index file
   * @return the index
   * @throws IndexFormatException when the file is not an index, of an unknown version, or corrupt
   *     (an identity value out of range counts as corrupt)
   * @throws IOException when the file cannot be read
   */
  static VectorIndex load(Path file) throws IOException {
    return IndexFile.read(file);
  }

  /**
   * Loads an index as {@link #load(Path)} does, handing the one warning about ignored properties to
   * {@code warning} instead of the log. The warning names the file and the ignored keys (printable
   * characters only, never their values).
   *
   * @param file the index file
   * @param warning receives at most one line
   * @return the index
   * @throws IndexFormatException when the file is not an index, of an unknown version, or corrupt
   * @throws IOException when the file cannot be read
   */
  static VectorIndex load(Path file, Consumer<String> warning) throws IOException {
    return IndexFile.read(file, warning);
  }

  /**
   * The length of every vector.
   *
   * @return the dimensions
   */
  int dimensions();

  /**
   * The number of entries.
   *
   * @return the size
   */
  int size();

  /**
   * Whether an entry has this id.
   *
   * @param id an id
   * @return true when present
   */
  boolean contains(String id);

  /**
   * The ids of every entry, in storage order (insertion order until an entry is removed: removal
   * moves the last entry into the freed place).
   *
   * @return a snapshot of the ids
   */
  List<String> ids();

  /**
   * An entry's metadata.
   *
   * @param id an id
   * @return its metadata, or empty when no entry has the id
   */
  Optional<Map<String, String>> metadata(String id);

  /**
   * An entry's stored (unit-length) vector.
   *
   * @param id an id
   * @return a copy of its vector, or empty when no entry has the id
   */
  Optional<float[]> vector(String id);

  /**
   * The identity of the vectors, saved with the index: recorded by {@link #addBatch} from its
   * embedder, or by {@link #recordIdentity}.
   *
   * @return the identity, or empty when none was recorded
   */
  Optional<IndexIdentity> identity();

  /**
   * Records the identity of the vectors (for entries {@linkplain #add added} directly). Recording
   * one that {@linkplain IndexIdentity#matches matches} the present identity adds the attributes it
   * knows; the index then refuses embedders of any other identity.
   *
   * <pre>{@code
   * index.recordIdentity(IndexIdentity.of(bw.embedder().identity()));
   * }</pre>
   *
   * @param identity the identity
   * @throws IllegalArgumentException when its dimensions differ from the index's, or it does not
   *     match the identity already recorded
   */
  void recordIdentity(IndexIdentity identity);

  /**
   * Adds an entry without metadata; see {@link #add(String, float[], Map)}.
   *
   * @param id a new id
   * @param vector the vector
   */
  default void add(String id, float[] vector) {
    add(id, vector, Map.of());
  }

  /**
   * Adds an entry. The vector is copied and L2-normalized.
   *
   * @param id a new id
   * @param vector {@link #dimensions()} finite floats, not all zero
   * @param metadata what to keep with the entry
   * @throws IllegalArgumentException when the id is already present, or the vector has the wrong
   *     length, a non-finite value, or zero length; the message names the id and the limit
   * @throws IllegalStateException when the index is full ({@value #MAX_FLOATS} floats)
   */
  void add(String id, float[] vector, Map<String, String> metadata);

  /**
   * Embeds the documents with one {@link Embedder#embedAll(List, io.batchwise.spi.InputType)} call,
   * as {@link io.batchwise.spi.InputType#DOCUMENT documents}, and adds every one that embedded.
   * Every id is checked (new, and unique within the batch) before anything is embedded. A document
   * whose embed failed is not added; its failure is in the result, at its position in {@code
   * documents}, and the others are added all the same.
   *
   * <p>The embedder's {@linkplain IndexIdentity#of(Embedder) identity} (the allowlisted part of its
   * {@link Embedder#identity()}) is recorded on the first batch; a later batch or query whose
   * embedder does not match it fails, because vectors of different models cannot be compared.
   *
   * @param documents the documents
   * @param embedder the embedder whose model produces {@link #dimensions()}-long vectors
   * @return the embed result: per-document outcomes and usage
   * @throws IllegalArgumentException when an id is present or repeated (naming it and its
   *     position), or the embedder's dimensions or identity differ from the index's
   */
  EmbedResult addBatch(List<IndexDocument> documents, Embedder embedder);

  /**
   * The {@code k} entries most similar to {@code query} by cosine, best first; ties go to the entry
   * stored first.
   *
   * @param query {@link #dimensions()} finite floats, not all zero (it need not be normalized)
   * @param k how many to return, at least 1; fewer when the index is smaller
   * @return the hits
   * @throws IllegalArgumentException when {@code k < 1} or the query has the wrong length, a
   *     non-finite value or zero length
   */
  List<SearchHit> search(float[] query, int k);

  /**
   * Embeds {@code query} as a query ({@link Embedder#embedQuery}: a model with a query prefix gets
   * it) and searches for it among the documents; see {@link #search(float[], int)}. The embedder
   * must be of the index's identity, which holds no input type: documents and queries of one model
   * match.
   *
   * @param query the query text
   * @param k how many to return, at least 1
   * @param embedder an embedder of the index's identity
   * @return the hits, best first
   * @throws IllegalArgumentException when the embedder's identity does not match the index's
   * @throws io.batchwise.EmbedFailedException when the query cannot be embedded
   */
  List<SearchHit> search(String query, int k, Embedder embedder);

  /**
   * Removes an entry.
   *
   * @param id an id
   * @return true when an entry was removed, false when none had the id
   */
  boolean remove(String id);

  /**
   * Writes the index to {@code file}: to a temporary file beside it first, then moved into place,
   * so the file is never half-written.
   *
   * @param file the destination; replaced when it exists
   * @throws IOException when it cannot be written
   */
  void save(Path file) throws IOException;
}

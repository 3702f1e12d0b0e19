package io.batchwise.internal.embed;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.spi.InputType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@code embedStream}: reads the source one window at a time and embeds the next window while the
 * caller consumes the current one, so at most two windows (plus their vectors) are in memory, and
 * yields every input's outcome in input order with its global index. Not thread-safe: a stream is
 * consumed by one thread.
 */
final class WindowedEmbedStream implements Iterator<Embedding> {
  private final Embedder embedder;
  private final Iterator<String> source;
  private final int window;
  private final InputType inputType;
  private long read;
  private Window ahead;
  private Iterator<Embedding> current = Collections.emptyIterator();
  private long currentOffset;

  /** One window in flight: where it starts in the source, and its result. */
  private record Window(long offset, CompletableFuture<EmbedResult> result) {}

  WindowedEmbedStream(Embedder embedder, Iterator<String> source, int window, InputType inputType) {
    this.embedder = embedder;
    this.source = source;
    this.window = window;
    this.inputType = inputType;
  }

  Stream<Embedding> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(
            () -> {
              if (ahead != null) {
                ahead.result().cancel(false);
              }
            });
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      Window w = ahead != null ? ahead : start();
      if (w == null) {
        return false;
      }
      EmbedResult result = w.result().join();
      ahead = start(); // overlap: the next window embeds while this one is consumed
      currentOffset = w.offset();
      current = result.embeddings().iterator();
    }
    return true;
  }

  @Override
  public Embedding next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Embedding e = current.next();
    return new Embedding(
        currentOffset + e.index(), e.vector(), e.tokens(), e.truncated(), e.cacheHit(), e.error());
  }

  private Window start() {
    if (!source.hasNext()) {
      return null;
    }
    List<String> texts = new ArrayList<>(window);
    while (texts.size() < window && source.hasNext()) {
      texts.add(source.next());
    }
    Window w = new Window(read, embedder.embedAllAsync(texts, inputType));
    read += texts.size();
    return w;
  }
}

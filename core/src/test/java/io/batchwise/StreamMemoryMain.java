package io.batchwise;

import io.batchwise.testing.FakeEmbeddingProvider;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a forked JVM with a small heap by {@link StreamMemoryTest}: streams N generated texts
 * through {@code embedStream} with the in-memory provider and checks each index arrives in order.
 */
public final class StreamMemoryMain {
  private StreamMemoryMain() {}

  /**
   * Streams {@code args[0]} texts.
   *
   * @param args the number of texts
   */
  public static void main(String[] args) {
    long n = Long.parseLong(args[0]);
    Iterator<String> source =
        new Iterator<>() {
          long next;

          @Override
          public boolean hasNext() {
            return next < n;
          }

          @Override
          public String next() {
            return "generated text number " + next++ + " with a few more words";
          }
        };
    AtomicLong expected = new AtomicLong();
    try (Batchwise bw = Batchwise.builder().provider(FakeEmbeddingProvider.small()).build()) {
      bw.embedder()
          .embedStream(source)
          .forEach(
              e -> {
                if (e.index() != expected.getAndIncrement() || !e.succeeded()) {
                  throw new IllegalStateException("out of order or failed at " + e);
                }
              });
    }
    System.out.println("streamed=" + expected.get());
  }
}

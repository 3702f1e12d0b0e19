package io.batchwise.examples.cli;

import io.batchwise.Embedder;
import io.batchwise.Embedding;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Embeds a command's inputs through the library's {@link Embedder#embedStream}: the inputs are read
 * as the stream asks for them, a window ({@code stream-window}) at a time, the next window embedded
 * while the current one is handed on, so memory holds the windows in flight, never the whole input.
 * Each input's outcome goes to the sink in input order, with the input it came from. Identical
 * texts are embedded once within a window (across windows, a cache answers the repeats). Every
 * window draws on the instance's limits ({@code concurrency}, {@code requests-per-minute}, {@code
 * tokens-per-minute}) and {@code job-timeout} bounds each. Progress counts the inputs handed on,
 * or, while a window is still being embedded, the vectors its provider calls have returned so far
 * ({@link MeterNames#EMBED_VECTORS}), so it moves from the first call.
 */
final class StreamedEmbedding {
  /**
   * Receives each input's outcome, in input order.
   *
   * @param <T> what an input is
   */
  interface Sink<T> {
    /**
     * Takes one outcome.
     *
     * @param index the input's position
     * @param input the input
     * @param embedding its outcome
     * @throws IOException when writing it fails
     */
    void accept(long index, T input, Embedding embedding) throws IOException;
  }

  /**
   * What a run did, counted over the outcomes handed on.
   *
   * @param inputs inputs embedded
   * @param failures inputs without a vector
   */
  record Totals(long inputs, long failures) {}

  private StreamedEmbedding() {}

  /**
   * Runs the job.
   *
   * @param embedder the embedder
   * @param registry its instance's meter registry, for the vectors returned so far
   * @param inputs the inputs, read as the embed needs them
   * @param text the text of an input
   * @param progress makes the display that follows the count of inputs done
   * @param sink receives the outcomes in input order
   * @param <T> what an input is
   * @return what the run did
   * @throws IOException when the sink fails
   * @throws CliException when the embedding stops as a whole (the instance was closed), or reading
   *     the inputs fails
   */
  static <T> Totals run(
      Embedder embedder,
      MeterRegistry registry,
      Iterator<T> inputs,
      Function<T, String> text,
      Function<LongSupplier, ProgressDisplay> progress,
      Sink<T> sink)
      throws IOException {
    // the inputs read and not yet handed on: the windows in flight
    Deque<T> pending = new ArrayDeque<>();
    AtomicLong read = new AtomicLong();
    Iterator<String> texts =
        map(
            inputs,
            input -> {
              pending.add(input);
              read.incrementAndGet();
              return text.apply(input);
            });
    AtomicLong handedOn = new AtomicLong();
    // a vector is counted once per answer: never more than the inputs read (a timed-out call
    // answered late)
    LongSupplier done =
        () -> Math.max(handedOn.get(), Math.min(read.get(), vectorsReturned(registry)));
    long failures = 0;
    try (ProgressDisplay display = progress.apply(done);
        Stream<Embedding> stream = embedder.embedStream(texts)) {
      Iterator<Embedding> outcomes = stream.iterator();
      while (hasNext(outcomes)) {
        Embedding e = outcomes.next();
        Interrupts
            .awaitExitIfStopping(); // the stop lets the windows in flight finish; nothing more is
        // written
        sink.accept(e.index(), pending.poll(), e);
        if (!e.succeeded()) {
          failures++;
        }
        handedOn.incrementAndGet();
      }
      Interrupts.awaitExitIfStopping(); // a stopped run's output is never committed
      display.finish(handedOn.get());
    }
    return new Totals(handedOn.get(), failures);
  }

  /**
   * An iterator that applies {@code f} to each element of {@code in} as it is asked for it.
   *
   * @param in the elements
   * @param f what each becomes
   * @param <A> the elements' type
   * @param <B> what they become
   * @return the lazy view
   */
  static <A, B> Iterator<B> map(Iterator<A> in, Function<A, B> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public B next() {
        return f.apply(in.next());
      }
    };
  }

  private static boolean hasNext(Iterator<Embedding> outcomes) {
    try {
      return outcomes.hasNext();
    } catch (CompletionException | CancellationException e) {
      Interrupts.awaitExitIfStopping(); // the stop closed the instance: not a failure to report
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new CliException(ExitCodes.FAILURE, "embedding stopped: " + cause.getMessage(), cause);
    }
  }

  /** The vectors the instance's provider calls have returned so far. */
  private static long vectorsReturned(MeterRegistry registry) {
    double sum = 0;
    for (Counter c : registry.find(MeterNames.EMBED_VECTORS).counters()) {
      sum += c.count();
    }
    return (long) sum;
  }
}

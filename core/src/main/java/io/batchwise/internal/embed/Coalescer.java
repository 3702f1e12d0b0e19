package io.batchwise.internal.embed;

import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.Usage;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many small callers, few calls: concurrent embeds smaller than one provider call (a web
 * application's request threads embedding one query each) wait up to {@code coalesce-window} for
 * each other and then run as one embed, whose calls they share; a group runs at once when it fills
 * a call. Each caller gets its own result, with its own indexes and failures: the shared embed
 * fails inputs one by one (an invalid input, one over the token limit), and a caller whose inputs
 * were in a call the service rejected for good ({@link CallFailedException#isRetryable()} false:
 * often one input it will not take) is embedded again alone, so that one caller's bad input fails
 * only that caller. A caller whose future completes first (cancelled, timed out) before its group
 * runs is left out of it; when every caller of a running group has given up, the shared embed is
 * cancelled. One open group per input type. Thread-safe.
 */
final class Coalescer {
  /** Runs one embed; the shared embed of a group goes here. */
  interface Runner {
    /**
     * Embeds {@code texts}.
     *
     * @param texts the inputs
     * @param inputType what they are embedded as
     * @param observation the parent of the embed's call observations
     * @return the result
     */
    CompletableFuture<EmbedResult> run(
        List<String> texts, InputType inputType, Observation observation);
  }

  private final Runner runner;
  private final long windowNanos;
  private final int callInputs;

  /** The group each input type is filling now; guarded by {@code this}. */
  private final Map<InputType, Group> open = new EnumMap<>(InputType.class);

  private boolean closed;

  /**
   * @param runner runs each group's shared embed
   * @param window how long the first caller of a group waits for others; zero turns coalescing off
   * @param callInputs the most inputs one provider call carries: a group that has them runs at once
   */
  Coalescer(Runner runner, Duration window, int callInputs) {
    this.runner = runner;
    this.windowNanos = window.toNanos();
    this.callInputs = callInputs;
  }

  /**
   * Whether an embed of {@code texts} waits for others: coalescing is on and it fills less than a
   * call.
   *
   * @param texts the embed's inputs
   * @return true when it is coalesced
   */
  boolean accepts(List<String> texts) {
    return windowNanos > 0 && !texts.isEmpty() && texts.size() < callInputs;
  }

  /**
   * Adds an embed to its input type's group.
   *
   * @param texts the inputs, fewer than a call holds
   * @param inputType what they are embedded as
   * @param observation the caller's embed observation
   * @return its result, or null when the coalescer is closed (then the caller runs alone)
   */
  CompletableFuture<EmbedResult> submit(
      List<String> texts, InputType inputType, Observation observation) {
    Caller caller = new Caller(new ArrayList<>(texts), observation, System.nanoTime());
    Group ready = null;
    Group started = null;
    Group full = null;
    synchronized (this) {
      if (closed) {
        return null;
      }
      Group group = open.get(inputType);
      if (group != null && group.size + caller.texts.size() > callInputs) {
        ready =
            open.remove(inputType); // this caller would overfill it: it goes first, without waiting
        group = null;
      }
      if (group == null) {
        group = new Group(inputType);
        open.put(inputType, group);
        started = group;
      }
      group.callers.add(caller);
      group.size += caller.texts.size();
      if (group.size >= callInputs) {
        full = open.remove(inputType);
      }
    }
    if (ready != null) {
      run(ready);
    }
    if (full != null) {
      run(full);
    } else if (started != null) {
      Group timed = started;
      CompletableFuture.delayedExecutor(windowNanos, TimeUnit.NANOSECONDS, Runnable::run)
          .execute(() -> timeUp(timed));
    }
    return caller.result;
  }

  /** The window of {@code group} has passed: it runs unless it ran when it filled. */
  private void timeUp(Group group) {
    synchronized (this) {
      if (open.get(group.inputType) != group) {
        return;
      }
      open.remove(group.inputType);
    }
    run(group);
  }

  /** Runs the open groups now and coalesces nothing more: the instance is closing. Idempotent. */
  void close() {
    List<Group> groups;
    synchronized (this) {
      closed = true;
      groups = new ArrayList<>(open.values());
      open.clear();
    }
    groups.forEach(this::run);
  }

  /** Runs one group's shared embed; only whoever took the group out of {@link #open} calls this. */
  private void run(Group group) {
    List<Caller> callers = new ArrayList<>(group.callers.size());
    List<String> texts = new ArrayList<>(group.size);
    for (Caller c : group.callers) {
      if (!c.result.isDone()) {
        callers.add(c);
        texts.addAll(c.texts);
      }
    }
    if (callers.isEmpty()) {
      return;
    }
    CompletableFuture<EmbedResult> shared;
    try {
      shared = runner.run(texts, group.inputType, callers.get(0).observation);
    } catch (RuntimeException e) {
      shared = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<EmbedResult> embed = shared;
    embed.whenComplete(
        (result, failure) -> {
          int from = 0;
          for (Caller c : callers) {
            if (failure != null) {
              c.result.completeExceptionally(failure);
            } else {
              EmbedResult mine = slice(result, from, c);
              if (callers.size() > 1 && rejected(mine)) {
                alone(c, group.inputType);
              } else {
                c.result.complete(mine);
              }
            }
            from += c.texts.size();
          }
        });
    AtomicInteger waiting = new AtomicInteger(callers.size());
    for (Caller c : callers) {
      c.result.whenComplete(
          (r, e) -> {
            if (waiting.decrementAndGet() == 0 && !embed.isDone()) {
              embed.cancel(true); // nobody waits for it any more: stop its calls
            }
          });
    }
  }

  /** Whether the service rejected, for good, a call that carried some of these inputs. */
  private static boolean rejected(EmbedResult result) {
    for (Embedding e : result.embeddings()) {
      Throwable cause = e.error() == null ? null : e.error().getCause();
      if (cause instanceof CallFailedException c && !c.isRetryable()) {
        return true;
      }
    }
    return false;
  }

  /** Embeds one caller's inputs again in calls of their own, its result whatever they bring. */
  private void alone(Caller caller, InputType inputType) {
    CompletableFuture<EmbedResult> own;
    try {
      own = runner.run(caller.texts, inputType, caller.observation);
    } catch (RuntimeException e) {
      own = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<EmbedResult> running = own;
    running.whenComplete(
        (r, e) -> {
          if (e != null) {
            caller.result.completeExceptionally(e);
          } else {
            caller.result.complete(slice(r, 0, caller));
          }
        });
    caller.result.whenComplete(
        (r, e) -> {
          if (!running.isDone()) {
            running.cancel(true);
          }
        });
  }

  /**
   * One caller's part of the shared result, by its own indexes. Its usage counts its own inputs:
   * distinct texts, cache hits, tokens sent (once per distinct text), truncations and failures; the
   * provider calls and retries are those of the shared embed, which its inputs rode in; the elapsed
   * time is the caller's own, waiting included.
   */
  private static EmbedResult slice(EmbedResult shared, int from, Caller caller) {
    int n = caller.texts.size();
    List<Embedding> mine = new ArrayList<>(n);
    Set<String> distinct = new HashSet<>();
    long hits = 0;
    long tokens = 0;
    long truncated = 0;
    long failed = 0;
    for (int i = 0; i < n; i++) {
      Embedding e = Reassembler.reindexed(shared.embeddings().get(from + i), i);
      mine.add(e);
      String text = caller.texts.get(i);
      boolean first = text != null && distinct.add(text);
      if (first && e.cacheHit()) {
        hits++;
      }
      if (first && !e.cacheHit() && e.tokens() > 0) {
        tokens += e.tokens();
      }
      truncated += e.truncated() ? 1 : 0;
      failed += e.succeeded() ? 0 : 1;
    }
    Usage all = shared.usage();
    Usage usage =
        new Usage(
            n,
            distinct.size(),
            hits,
            all.providerCalls(),
            all.retries(),
            tokens,
            truncated,
            failed,
            Duration.ofNanos(System.nanoTime() - caller.startNanos));
    return new EmbedResult(mine, usage);
  }

  /** One embed waiting in a group. */
  private record Caller(
      List<String> texts,
      Observation observation,
      long startNanos,
      CompletableFuture<EmbedResult> result) {
    Caller(List<String> texts, Observation observation, long startNanos) {
      this(texts, observation, startNanos, new CompletableFuture<>());
    }
  }

  /** The embeds that will share one run. */
  private static final class Group {
    final InputType inputType;
    final List<Caller> callers = new ArrayList<>();
    int size;

    Group(InputType inputType) {
      this.inputType = inputType;
    }
  }
}

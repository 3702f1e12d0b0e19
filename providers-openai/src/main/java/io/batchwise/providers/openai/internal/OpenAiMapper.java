package io.batchwise.providers.openai.internal;

import io.batchwise.map.MapAnswer;
import io.batchwise.map.MapPlan;
import io.batchwise.map.MapResult;
import io.batchwise.map.MapUsage;
import io.batchwise.map.Mapper;
import io.batchwise.map.MapperContext;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The {@code openai} mapper: runs an instruction over many items through one OpenAI-compatible chat
 * endpoint, on the instance's scheduler.
 *
 * <p>A run flows one way: check the items (a null or blank item fails alone) → ask identical items
 * once → look each up in the answer store → measure the misses (a line of the prompt, an entry of
 * the reply, the predicted answer) and fail alone any that cannot fit the context window with the
 * instruction → a job on the scheduler packs them into requests by items and tokens and runs them
 * with the instance's concurrency, rate limits, retries and timeouts → each accepted answer is
 * stored as its request is read → items whose answer was missing, duplicated, malformed, cut off or
 * off the schema go to the next round, without the others: the first time packed together again,
 * then each alone, with more answer tokens when theirs was cut off and in half-size requests when
 * the server refused a request as too long → after {@code openai.chat.answer-attempts} they fail
 * with the reason → one {@link MapAnswer} per item in input order, with usage. Thread-safe.
 */
final class OpenAiMapper implements Mapper {
  /**
   * Answer tokens predicted per seen token: room for answers a little longer than the longest so
   * far.
   */
  private static final double ESTIMATE_HEADROOM = 1.5;

  /** The fewest answer tokens predicted once answers have been seen. */
  private static final int MIN_ESTIMATE = 16;

  private final ChatService service;
  private final MapperContext context;
  private final CallLimits limits;
  private final AnswerStore store;
  private final String endpointIdentity;

  /** The longest answer seen per scope, in tokens: the estimate of the next answers' length. */
  private final Map<String, AtomicInteger> longestAnswer = new ConcurrentHashMap<>();

  OpenAiMapper(ChatService service, MapperContext context, AnswerStore store) {
    this.service = service;
    this.context = context;
    this.limits = context.newCallLimits(service.rateLimits());
    this.store = store;
    this.endpointIdentity = service.settings.connection.endpointIdentity();
  }

  @Override
  public String model() {
    return service.settings.model;
  }

  @Override
  public MapResult mapAll(List<String> items, String instruction, String schema) {
    try {
      return mapAllAsync(items, instruction, schema).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public CompletableFuture<MapResult> mapAllAsync(
      List<String> items, String instruction, String schema, IntConsumer progress) {
    Objects.requireNonNull(progress, "progress");
    return new Run(items, instruction, schema).start(progress);
  }

  @Override
  public MapPlan plan(List<String> items, String instruction, String schema) {
    return new Run(items, instruction, schema).plan();
  }

  @Override
  public void close() {
    service.close();
  }

  @Override
  public String toString() {
    return "OpenAiMapper{" + service.endpoint() + ", model=" + model() + "}";
  }

  /**
   * The digest of what decides an answer besides the item: where it is asked (host, port and path,
   * no key), the model, the instruction, the schema (keys sorted), the sampling settings and the
   * format of the prompt. Every part is length-prefixed, so no two different scopes run together.
   */
  private String scope(String instruction, AnswerSchema schema) {
    Map<String, String> parts = new TreeMap<>();
    parts.put("endpoint", endpointIdentity);
    parts.put("model", service.settings.model);
    parts.put("instruction", instruction);
    parts.put("schema", schema.canonical());
    parts.put("temperature", String.valueOf(service.settings.temperature));
    parts.put("seed", String.valueOf(service.settings.seed));
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    parts.forEach(
        (k, v) -> {
          for (String s : new String[] {k, v}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            digest.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(b);
          }
        });
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The answer tokens to predict per item: configured, else from the longest answer seen in the
   * scope.
   */
  private int predictedAnswerTokens(String scope) {
    if (service.settings.answerTokens != null) {
      return service.settings.answerTokens;
    }
    AtomicInteger longest = longestAnswer.get(scope);
    if (longest == null || longest.get() == 0) {
      return ChatOptions.DEFAULT_ANSWER_TOKENS;
    }
    int estimate = (int) Math.ceil(longest.get() * ESTIMATE_HEADROOM) + MIN_ESTIMATE / 2;
    return Math.max(MIN_ESTIMATE, Math.min(service.settings.maxOutputTokens, estimate));
  }

  private void sawAnswer(String scope, int tokens) {
    longestAnswer
        .computeIfAbsent(scope, s -> new AtomicInteger())
        .accumulateAndGet(tokens, Math::max);
  }

  /** One distinct item of a run. */
  private static final class Unique {
    final String text;
    final int first; // the input index it first appears at
    CompletableFuture<String>
        answer; // the store's: completes when the answer is known (and stored)
    CompletableFuture<String> mine; // completed by this run when it leads the item, else null
    boolean hit;
    int inputs; // how many inputs are this item
    volatile int asked;

    Unique(String text, int first) {
      this.text = text;
      this.first = first;
    }
  }

  /** One call of {@link #mapAllAsync} or {@link #plan}. */
  private final class Run {
    private final List<String> inputs;
    private final AnswerSchema schema;
    private final ChatPrompt prompt;
    private final String scope;
    private final long startNanos = System.nanoTime();
    private final Throwable[] invalid;
    private final int[] uniqueOf;
    private final List<Unique> uniques = new ArrayList<>();
    private final ChatAgent.Tally tally = new ChatAgent.Tally();
    private final AtomicInteger schedulerRetries = new AtomicInteger();
    private volatile long firstRoundFirstCalls = -1;
    private final int budget; // tokens per request for items and their answers

    Run(List<String> items, String instruction, String schemaText) {
      Objects.requireNonNull(items, "items");
      Objects.requireNonNull(instruction, "instruction");
      if (instruction.isBlank()) {
        throw new IllegalArgumentException(
            "the instruction is blank: say what to do with each item");
      }
      this.inputs = items;
      this.schema = AnswerSchema.compile(schemaText);
      this.prompt = new ChatPrompt(instruction, schema, service.tokenizer, service.json);
      this.scope = scope(instruction, schema);
      this.budget = service.settings.contextWindow - prompt.fixedTokens();
      if (budget <= 0) {
        throw new IllegalArgumentException(
            "the instruction and the answer format take "
                + prompt.fixedTokens()
                + " tokens, more than the model's context window of "
                + service.settings.contextWindow
                + " tokens ("
                + ChatOptions.CONTEXT_WINDOW.key()
                + "): shorten the instruction or the schema");
      }
      this.invalid = new Throwable[items.size()];
      this.uniqueOf = new int[items.size()];
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < items.size(); i++) {
        String item = items.get(i);
        String problem =
            item == null
                ? "is null"
                : item.isEmpty() ? "is empty" : item.isBlank() ? "is whitespace only" : null;
        if (problem != null) {
          invalid[i] = new IllegalArgumentException("item " + i + " " + problem);
          uniqueOf[i] = -1;
          continue;
        }
        Integer u = seen.get(item);
        if (u == null) {
          u = uniques.size();
          seen.put(item, u);
          uniques.add(new Unique(item, i));
        }
        uniques.get(u).inputs++;
        uniqueOf[i] = u;
      }
    }

    CompletableFuture<MapResult> start(IntConsumer progress) {
      int invalidCount = (int) Arrays.stream(invalid).filter(Objects::nonNull).count();
      if (invalidCount > 0) {
        progress.accept(invalidCount);
      }
      List<ChatItem> misses = lookUp(false);
      CompletableFuture<Void> rounds =
          misses.isEmpty() ? CompletableFuture.completedFuture(null) : round(misses);
      List<CompletableFuture<?>> all = new ArrayList<>();
      all.add(rounds);
      for (Unique u : uniques) {
        all.add(
            u.answer.handle(
                (a, e) -> {
                  progress.accept(u.inputs);
                  return null;
                }));
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(done -> result());
    }

    MapPlan plan() {
      List<ChatItem> misses = lookUp(true);
      long cacheHits = uniques.stream().filter(u -> u.hit).count();
      List<ChatItem> fit = new ArrayList<>();
      long oversize = 0;
      for (ChatItem item : misses) {
        if (item.cost() > budget) {
          oversize++;
        } else {
          fit.add(item);
        }
      }
      long calls = 0;
      long promptTokens = 0;
      long replyTokens = 0;
      for (List<ChatItem> request : pack(fit, maxItems(fit, service.settings.itemsPerRequest))) {
        calls++;
        promptTokens += prompt.promptFixedTokens();
        for (ChatItem item : request) {
          promptTokens += item.promptTokens();
        }
        replyTokens += prompt.maxReplyTokens(request);
      }
      long invalidCount = Arrays.stream(invalid).filter(Objects::nonNull).count();
      return new MapPlan(
          service.settings.model,
          inputs.size(),
          uniques.size(),
          cacheHits,
          invalidCount,
          oversize,
          calls,
          promptTokens,
          replyTokens,
          service.settings.cost(promptTokens, 0, replyTokens));
    }

    /**
     * Looks every distinct item up; measures the misses this run leads. A miss too large for the
     * context window fails here, alone. In a dry run a miss is given up at once (a failed
     * computation is never stored), so nothing waits for it.
     */
    private List<ChatItem> lookUp(boolean dryRun) {
      List<ChatItem> misses = new ArrayList<>();
      int answerTokens = -1;
      for (int id = 0; id < uniques.size(); id++) {
        Unique u = uniques.get(id);
        AnswerStore.Lookup lookup =
            store.lookup(
                scope,
                u.text,
                () -> {
                  u.mine = new CompletableFuture<>();
                  return u.mine;
                });
        u.answer = lookup.answer();
        if (!lookup.led()) {
          u.hit = u.answer.isDone() && !u.answer.isCompletedExceptionally();
          if (u.hit) {
            sawAnswer(scope, service.tokenizer.count(u.answer.join()));
          }
          continue;
        }
        if (answerTokens < 0) {
          answerTokens = predictedAnswerTokens(scope); // after the hits: they inform the estimate
        }
        ChatItem item = prompt.measure(id, u.text, answerTokens, service.settings.itemsPerRequest);
        if (dryRun) {
          u.mine.completeExceptionally(new CancellationException("a dry run sends nothing"));
        } else if (item.cost() > budget) {
          u.mine.completeExceptionally(
              new IllegalArgumentException(
                  "has "
                      + item.promptTokens()
                      + " tokens in the prompt and "
                      + item.replyTokens()
                      + " predicted for its answer; with the instruction and the answer format ("
                      + prompt.fixedTokens()
                      + ") that is more than the model's context window of "
                      + service.settings.contextWindow
                      + " tokens ("
                      + ChatOptions.CONTEXT_WINDOW.key()
                      + ")"));
          continue;
        }
        misses.add(item);
      }
      return misses;
    }

    /**
     * The most items per request: the configured limit, and as many answers as one reply may hold.
     */
    private int maxItems(List<ChatItem> items, int limit) {
      long longestReply = 1;
      for (ChatItem item : items) {
        longestReply = Math.max(longestReply, item.replyTokens());
      }
      long replyRoom =
          service.settings.maxOutputTokens - service.tokenizer.count(ChatPrompt.REPLY_FRAME);
      return (int) Math.max(1, Math.min(limit, replyRoom / longestReply));
    }

    /** Packs as the scheduler packs a job of {@link #options}: in order, by items and tokens. */
    private List<List<ChatItem>> pack(List<ChatItem> items, int maxItems) {
      List<List<ChatItem>> requests = new ArrayList<>();
      List<ChatItem> current = new ArrayList<>();
      long tokens = 0;
      for (ChatItem item : items) {
        if (!current.isEmpty() && (current.size() == maxItems || tokens + item.cost() > budget)) {
          requests.add(current);
          current = new ArrayList<>();
          tokens = 0;
        }
        current.add(item);
        tokens += item.cost();
      }
      if (!current.isEmpty()) {
        requests.add(current);
      }
      return requests;
    }

    private JobOptions<ChatItem> options(int maxItems, int size) {
      Duration call = service.settings.callTimeout;
      JobOptions.Builder<ChatItem> b =
          JobOptions.<ChatItem>builder()
              .name("map")
              .maxItems(maxItems)
              .maxTokens(budget)
              .contextWindow(budget)
              .tokenCounter(ChatItem::cost)
              .concurrency(limits.permits().permits())
              // above the HTTP call timeout, which fails the call as retryable and cancels it first
              .batchTimeout(call.plus(call.dividedBy(10)).plusSeconds(1))
              .retryPolicy(context.retryPolicy())
              .permits(limits.permits())
              .pacer(service.pacer(limits.pacer(), prompt.fixedTokens()))
              .sizeHint(size);
      context
          .jobTimeout()
          .ifPresent(
              timeout -> {
                Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
                b.jobTimeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
              });
      return b.build();
    }

    /** Runs one round: a job per request size; the items to ask again make the next round. */
    private CompletableFuture<Void> round(List<ChatItem> pending) {
      ChatAgent agent =
          new ChatAgent(
              service,
              prompt,
              schema,
              tally,
              (item, answered) -> {
                sawAnswer(scope, answered.tokens());
                uniques.get((int) item.id()).mine.complete(answered.json());
              });
      Map<Integer, List<ChatItem>> bySize =
          pending.stream()
              .collect(
                  Collectors.groupingBy(ChatItem::maxBatch, TreeMap::new, Collectors.toList()));
      List<CompletableFuture<List<ChatItem>>> jobs = new ArrayList<>();
      boolean first = firstRoundFirstCalls < 0;
      for (Map.Entry<Integer, List<ChatItem>> group : bySize.entrySet()) {
        List<ChatItem> items = group.getValue();
        JobOptions<ChatItem> options = options(maxItems(items, group.getKey()), items.size());
        jobs.add(
            context.scheduler().submit(items, agent, options).completion().thenApply(this::settle));
      }
      return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new))
          .thenCompose(
              done -> {
                if (first) {
                  firstRoundFirstCalls = tally.calls.get() - schedulerRetries.get();
                }
                List<ChatItem> next = new ArrayList<>();
                jobs.forEach(job -> next.addAll(job.join()));
                return next.isEmpty() ? CompletableFuture.completedFuture(null) : round(next);
              });
    }

    /**
     * Takes a finished job's results: answers are already stored; returns the items to ask again.
     */
    private List<ChatItem> settle(JobResult<ChatItem, ItemOutcome> result) {
      schedulerRetries.addAndGet((int) result.progress().retries());
      List<ChatItem> again = new ArrayList<>();
      for (ItemResult<ChatItem, ItemOutcome> r : result.results()) {
        ChatItem item = r.item();
        Unique u = uniques.get((int) item.id());
        u.asked += r.attempts();
        if (!r.succeeded()) {
          u.mine.completeExceptionally(
              r.error() != null
                  ? r.error()
                  : new IllegalStateException("its request ended " + r.status()));
        } else if (r.output() instanceof ItemOutcome.Retry retry) {
          ChatItem next = next(item, retry);
          if (next == null) {
            u.mine.completeExceptionally(new IllegalStateException(failure(item, retry)));
          } else {
            again.add(next);
          }
        }
      }
      return again;
    }

    /** The item's next attempt, or null when it has had its attempts or cannot be helped. */
    private ChatItem next(ChatItem item, ItemOutcome.Retry retry) {
      if (retry.splitTo() < 0 || item.attempt() + 1 >= service.settings.answerAttempts) {
        return null;
      }
      int answerTokens = item.answerTokens();
      if (retry.cutOff()) {
        long room =
            Math.min(
                    service.settings.maxOutputTokens
                        - service.tokenizer.count(ChatPrompt.REPLY_FRAME),
                    (long) budget - item.promptTokens())
                - item.envelopeTokens();
        if (answerTokens >= room) {
          return null; // cut off with every token it may have
        }
        answerTokens = (int) Math.min(room, Math.max(2L * answerTokens, MIN_ESTIMATE));
      }
      // asked again once with the other failed items, then alone
      int maxBatch =
          retry.splitTo() > 0 ? retry.splitTo() : item.attempt() >= 1 ? 1 : item.maxBatch();
      return item.again(retry.problem(), answerTokens, maxBatch);
    }

    private String failure(ChatItem item, ItemOutcome.Retry retry) {
      if (retry.splitTo() < 0) {
        return retry.problem();
      }
      int asked = item.attempt() + 1;
      return "no acceptable answer after "
          + asked
          + (asked == 1 ? " request" : " requests")
          + " ("
          + ChatOptions.ANSWER_ATTEMPTS.key()
          + "="
          + service.settings.answerAttempts
          + "); the last: "
          + retry.problem();
    }

    private MapResult result() {
      List<MapAnswer> results = new ArrayList<>(inputs.size());
      long failed = 0;
      for (int i = 0; i < inputs.size(); i++) {
        if (invalid[i] != null) {
          results.add(MapAnswer.failure(i, invalid[i], 0));
          failed++;
          continue;
        }
        Unique u = uniques.get(uniqueOf[i]);
        try {
          results.add(MapAnswer.success(i, u.answer.join(), u.hit, u.asked));
        } catch (CompletionException | CancellationException e) {
          Throwable cause =
              e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          results.add(MapAnswer.failure(i, new ItemFailedException(i, cause), u.asked));
          failed++;
        }
      }
      long calls = tally.calls.get();
      long retries = firstRoundFirstCalls < 0 ? 0 : calls - firstRoundFirstCalls;
      long hits = uniques.stream().filter(u -> u.hit).count();
      MapUsage usage =
          new MapUsage(
              inputs.size(),
              uniques.size(),
              hits,
              calls,
              retries,
              tally.promptTokens.get(),
              tally.completionTokens.get(),
              tally.cachedTokens.get(),
              failed,
              service.settings.cost(
                  tally.promptTokens.get(), tally.cachedTokens.get(), tally.completionTokens.get()),
              Duration.ofNanos(System.nanoTime() - startNanos));
      return new MapResult(results, usage);
    }
  }

  /** Why one item has no answer; the message names the item (each duplicate its own index). */
  static final class ItemFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ItemFailedException(long index, Throwable cause) {
      super("item " + index + ": " + cause.getMessage(), cause);
    }
  }
}

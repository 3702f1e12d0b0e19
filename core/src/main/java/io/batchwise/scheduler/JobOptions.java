package io.batchwise.scheduler;

import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How one job packs, runs and retries its items: one immutable record, built with {@link
 * #builder()} (whose setters check each value) or changed with {@link #toBuilder()}. Each accessor
 * is named after its builder setter; {@link #toString()} shows every value.
 *
 * <p>Defaults are derived, not hard-coded in the logic: batches of at most {@value
 * #DEFAULT_MAX_ITEMS} items and {@value #DEFAULT_MAX_TOKENS} tokens within a {@value
 * #DEFAULT_CONTEXT_WINDOW}-token context window; {@code cores × }{@value #DEFAULT_AGENTS_PER_CORE}
 * agents at once; a {@value #DEFAULT_BATCH_TIMEOUT_SECONDS}-second timeout per batch; {@link
 * RetryPolicy#DEFAULT}; an in-flight bytes budget of a quarter of the maximum heap.
 *
 * <pre>{@code
 * JobOptions<String> options = JobOptions.<String>builder().maxItems(16).concurrency(8).build();
 * }</pre>
 *
 * @param name the job's name, a metrics tag; default {@code job}
 * @param maxItems the most items per batch
 * @param maxTokens the most tokens per batch (an item above it but within the window runs alone)
 * @param contextWindow the most tokens one item may have
 * @param tokenCounter counts an item's tokens; by default every item counts 0
 * @param byteWeigher estimates an item's bytes in flight; by default 0 (no bytes budget applies)
 * @param oversizePolicy what to do with an item over the context window ({@link
 *     Builder#failOversize}, {@link Builder#splitOversize})
 * @param splitter splits an oversize item when the policy is {@link OversizePolicy#SPLIT}, or null
 * @param concurrency the most batches running at once, not counting those whose agent released
 *     their slot ({@link Batch#releaseSlot()})
 * @param batchTimeout the time one batch attempt may take
 * @param retryPolicy how retryable failures are retried
 * @param tokenBudget the job-wide token cap, 0 for none
 * @param inFlightBytes the most bytes of items in flight at once
 * @param requestsPerMinute the most batches started per minute, 0 for no limit
 * @param tokensPerMinute the most tokens started per minute, 0 for no limit
 * @param adaptiveConcurrency whether concurrency backs off on rate limits and timeouts and grows on
 *     success
 * @param adaptiveBatchSize the latency batches are resized toward, or null when batch size is fixed
 * @param retainResults whether {@link JobResult#results()} keeps every item's result (false for
 *     huge sources)
 * @param sizeHint the number of items when known in advance (for the ETA), else -1
 * @param pacer reserves each call's start (shared limits, the service's reports); {@link
 *     CallPacer#NONE} unless set
 * @param permits the permit pool this job shares with others, empty when only its own concurrency
 *     limits it
 * @param jobTimeout the longest the job may run before its unfinished items fail, empty for no
 *     limit
 * @param packing how items are cut into batches; {@link PackingPolicy#inOrder()} unless set
 * @param <I> the item type
 */
public record JobOptions<I>(
    String name,
    int maxItems,
    long maxTokens,
    long contextWindow,
    ToLongFunction<? super I> tokenCounter,
    ToLongFunction<? super I> byteWeigher,
    OversizePolicy oversizePolicy,
    Function<? super I, ? extends List<? extends I>> splitter,
    int concurrency,
    Duration batchTimeout,
    RetryPolicy retryPolicy,
    long tokenBudget,
    long inFlightBytes,
    int requestsPerMinute,
    long tokensPerMinute,
    boolean adaptiveConcurrency,
    Duration adaptiveBatchSize,
    boolean retainResults,
    long sizeHint,
    CallPacer pacer,
    Optional<CallPermits> permits,
    Optional<Duration> jobTimeout,
    PackingPolicy packing) {
  /** Items per batch unless set: four chunks, as in the agent design this scheduler grew from. */
  public static final int DEFAULT_MAX_ITEMS = 4;

  /**
   * Tokens per batch unless set: half of the default context window, leaving room for the answer.
   */
  public static final int DEFAULT_MAX_TOKENS = 32_768;

  /** The context window an item must fit in unless set. */
  public static final int DEFAULT_CONTEXT_WINDOW = 65_536;

  /** Agents per core for I/O-bound work unless set. */
  public static final int DEFAULT_AGENTS_PER_CORE = 2;

  /** Seconds before a batch times out unless set. */
  public static final int DEFAULT_BATCH_TIMEOUT_SECONDS = 30;

  /**
   * Checks what a builder's setters cannot check alone: the rules between values, and every value
   * of a record made without a builder.
   *
   * @throws IllegalArgumentException naming the value, what it was and what is allowed
   * @throws NullPointerException when a value other than {@code splitter} or {@code
   *     adaptiveBatchSize} is null
   */
  public JobOptions {
    Builder.check(
        name,
        maxItems,
        maxTokens,
        contextWindow,
        tokenCounter,
        byteWeigher,
        oversizePolicy,
        splitter,
        concurrency,
        batchTimeout,
        retryPolicy,
        tokenBudget,
        inFlightBytes,
        requestsPerMinute,
        tokensPerMinute,
        adaptiveBatchSize,
        sizeHint,
        pacer,
        permits,
        jobTimeout,
        packing);
  }

  /**
   * Options with every default.
   *
   * @param <I> the item type
   * @return the default options
   */
  public static <I> JobOptions<I> defaults() {
    return JobOptions.<I>builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @param <I> the item type
   * @return a new builder
   */
  public static <I> Builder<I> builder() {
    return new Builder<>();
  }

  /**
   * The number of agents at once by default: {@code cores × agentsPerCore}.
   *
   * @param agentsPerCore agents per core, at least 1
   * @return the default concurrency
   */
  public static int defaultConcurrency(int agentsPerCore) {
    return Runtime.getRuntime().availableProcessors() * agentsPerCore;
  }

  /**
   * A builder holding a copy of these options, to change a few.
   *
   * @return a builder
   */
  public Builder<I> toBuilder() {
    return new Builder<>(this);
  }

  /**
   * Builds {@link JobOptions}. Each setter checks its value at once; {@link #build()} checks the
   * rules between values. Not thread-safe.
   *
   * @param <I> the item type
   */
  public static final class Builder<I> {
    private String name = "job";
    private int maxItems = DEFAULT_MAX_ITEMS;
    private long maxTokens = DEFAULT_MAX_TOKENS;
    private long contextWindow = DEFAULT_CONTEXT_WINDOW;
    private ToLongFunction<? super I> tokenCounter = item -> 0;
    private ToLongFunction<? super I> byteWeigher = item -> 0;
    private OversizePolicy oversizePolicy = OversizePolicy.FAIL;
    private Function<? super I, ? extends List<? extends I>> splitter;
    private int concurrency = defaultConcurrency(DEFAULT_AGENTS_PER_CORE);
    private Duration batchTimeout = Duration.ofSeconds(DEFAULT_BATCH_TIMEOUT_SECONDS);
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private long tokenBudget;
    private long inFlightBytes = Runtime.getRuntime().maxMemory() / 4;
    private int requestsPerMinute;
    private long tokensPerMinute;
    private boolean adaptiveConcurrency;
    private Duration adaptiveBatchSize;
    private boolean retainResults = true;
    private long sizeHint = -1;
    private CallPacer pacer = CallPacer.NONE;
    private Optional<CallPermits> permits = Optional.empty();
    private Optional<Duration> jobTimeout = Optional.empty();
    private PackingPolicy packing = PackingPolicy.inOrder();

    private Builder() {}

    private Builder(JobOptions<I> o) {
      name = o.name;
      maxItems = o.maxItems;
      maxTokens = o.maxTokens;
      contextWindow = o.contextWindow;
      tokenCounter = o.tokenCounter;
      byteWeigher = o.byteWeigher;
      oversizePolicy = o.oversizePolicy;
      splitter = o.splitter;
      concurrency = o.concurrency;
      batchTimeout = o.batchTimeout;
      retryPolicy = o.retryPolicy;
      tokenBudget = o.tokenBudget;
      inFlightBytes = o.inFlightBytes;
      requestsPerMinute = o.requestsPerMinute;
      tokensPerMinute = o.tokensPerMinute;
      adaptiveConcurrency = o.adaptiveConcurrency;
      adaptiveBatchSize = o.adaptiveBatchSize;
      retainResults = o.retainResults;
      sizeHint = o.sizeHint;
      pacer = o.pacer;
      permits = o.permits;
      jobTimeout = o.jobTimeout;
      packing = o.packing;
    }

    /**
     * @param name the job's name, used as a metrics tag
     * @return this builder
     */
    public Builder<I> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * @param maxItems the most items per batch, at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder<I> maxItems(int maxItems) {
      this.maxItems = (int) atLeast("maxItems", maxItems, 1);
      return this;
    }

    /**
     * @param maxTokens the most tokens per batch, at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder<I> maxTokens(long maxTokens) {
      this.maxTokens = atLeast("maxTokens", maxTokens, 1);
      return this;
    }

    /**
     * @param contextWindow the most tokens one item may have, at least {@code maxTokens} (checked
     *     by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder<I> contextWindow(long contextWindow) {
      this.contextWindow = atLeast("contextWindow", contextWindow, 1);
      return this;
    }

    /**
     * @param tokenCounter counts an item's tokens (e.g. {@code tokenizer::count}); called once per
     *     item
     * @return this builder
     */
    public Builder<I> tokenCounter(ToLongFunction<? super I> tokenCounter) {
      this.tokenCounter = Objects.requireNonNull(tokenCounter, "tokenCounter");
      return this;
    }

    /**
     * @param byteWeigher estimates an item's bytes while in flight, for the in-flight bytes budget
     * @return this builder
     */
    public Builder<I> byteWeigher(ToLongFunction<? super I> byteWeigher) {
      this.byteWeigher = Objects.requireNonNull(byteWeigher, "byteWeigher");
      return this;
    }

    /**
     * Fails items over the context window alone (the default).
     *
     * @return this builder
     */
    public Builder<I> failOversize() {
      this.oversizePolicy = OversizePolicy.FAIL;
      this.splitter = null;
      return this;
    }

    /**
     * Splits items over the context window with {@code splitter}; each piece must fit the window.
     *
     * @param splitter splits one item into pieces
     * @return this builder
     */
    public Builder<I> splitOversize(Function<? super I, ? extends List<? extends I>> splitter) {
      this.oversizePolicy = OversizePolicy.SPLIT;
      this.splitter = Objects.requireNonNull(splitter, "splitter");
      return this;
    }

    /**
     * @param concurrency the most batches at once, at least 1; a batch whose agent released its
     *     slot ({@link Batch#releaseSlot()}) no longer counts
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder<I> concurrency(int concurrency) {
      this.concurrency = (int) atLeast("concurrency", concurrency, 1);
      return this;
    }

    /**
     * @param batchTimeout the time one attempt of a batch may take, positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder<I> batchTimeout(Duration batchTimeout) {
      this.batchTimeout = positive("batchTimeout", batchTimeout);
      return this;
    }

    /**
     * @param retryPolicy how retryable failures are retried
     * @return this builder
     */
    public Builder<I> retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * @param tokenBudget the job-wide token cap, 0 for none; batches that would exceed it are not
     *     started and their items end {@link ItemStatus#SKIPPED}
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder<I> tokenBudget(long tokenBudget) {
      this.tokenBudget = atLeast("tokenBudget", tokenBudget, 0);
      return this;
    }

    /**
     * @param inFlightBytes the most item bytes in flight at once (by the byte weigher), at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder<I> inFlightBytes(long inFlightBytes) {
      this.inFlightBytes = atLeast("inFlightBytes", inFlightBytes, 1);
      return this;
    }

    /**
     * @param requestsPerMinute the most batches started per minute, 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder<I> requestsPerMinute(int requestsPerMinute) {
      this.requestsPerMinute = (int) atLeast("requestsPerMinute", requestsPerMinute, 0);
      return this;
    }

    /**
     * @param tokensPerMinute the most tokens started per minute, 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder<I> tokensPerMinute(long tokensPerMinute) {
      this.tokensPerMinute = atLeast("tokensPerMinute", tokensPerMinute, 0);
      return this;
    }

    /**
     * @param adaptive whether concurrency halves on rate limits and timeouts and grows by one on
     *     success, between 1 and {@link #concurrency(int)}
     * @return this builder
     */
    public Builder<I> adaptiveConcurrency(boolean adaptive) {
      this.adaptiveConcurrency = adaptive;
      return this;
    }

    /**
     * @param target the batch latency to resize batches toward (within {@code maxItems}), positive,
     *     or null for fixed batch sizes
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder<I> adaptiveBatchSize(Duration target) {
      this.adaptiveBatchSize = target == null ? null : positive("adaptiveBatchSize", target);
      return this;
    }

    /**
     * @param retain whether the completion keeps every item's result; false for huge sources, whose
     *     results are read from {@link Job#results()}
     * @return this builder
     */
    public Builder<I> retainResults(boolean retain) {
      this.retainResults = retain;
      return this;
    }

    /**
     * @param size the number of items when known in advance, for the ETA; -1 when unknown
     * @return this builder
     * @throws IllegalArgumentException when below -1
     */
    public Builder<I> sizeHint(long size) {
      this.sizeHint = atLeast("sizeHint", size, -1);
      return this;
    }

    /**
     * @param pacer reserves each call's start before it runs (a retry too), to keep limits shared
     *     with other jobs ({@link CallLimits}) and to honour a remote service's reported limits
     * @return this builder
     */
    public Builder<I> pacer(CallPacer pacer) {
      this.pacer = Objects.requireNonNull(pacer, "pacer");
      return this;
    }

    /**
     * @param permits a pool shared with other jobs: a batch starts only with a permit from it, on
     *     top of this job's own {@link #concurrency(int)} (see {@link CallPermits})
     * @return this builder
     */
    public Builder<I> permits(CallPermits permits) {
      this.permits = Optional.of(permits);
      return this;
    }

    /**
     * @param jobTimeout the longest the job may run, from its submission: when it passes, running
     *     batches are cancelled, the source is no longer read, every item read and not finished
     *     ends {@link ItemStatus#FAILED} with a {@link TimeoutException} saying so, and the job
     *     completes; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder<I> jobTimeout(Duration jobTimeout) {
      this.jobTimeout = Optional.of(positive("jobTimeout", jobTimeout));
      return this;
    }

    /**
     * @param packing how items are cut into batches (in order, or sorted by length under a
     *     token-position budget), and whether tokens are counted ahead of packing
     * @return this builder
     */
    public Builder<I> packing(PackingPolicy packing) {
      this.packing = Objects.requireNonNull(packing, "packing");
      return this;
    }

    /**
     * Checks the rules between options and returns the options.
     *
     * @return the options
     * @throws IllegalArgumentException naming the options and their values when {@code
     *     contextWindow < maxTokens}
     */
    public JobOptions<I> build() {
      return new JobOptions<>(
          name,
          maxItems,
          maxTokens,
          contextWindow,
          tokenCounter,
          byteWeigher,
          oversizePolicy,
          splitter,
          concurrency,
          batchTimeout,
          retryPolicy,
          tokenBudget,
          inFlightBytes,
          requestsPerMinute,
          tokensPerMinute,
          adaptiveConcurrency,
          adaptiveBatchSize,
          retainResults,
          sizeHint,
          pacer,
          permits,
          jobTimeout,
          packing);
    }

    /**
     * Checks a record's values by the setters' rules, so that a record made without a builder holds
     * no value a setter would refuse, and the rules between values.
     */
    private static <I> void check(
        String name,
        int maxItems,
        long maxTokens,
        long contextWindow,
        ToLongFunction<? super I> tokenCounter,
        ToLongFunction<? super I> byteWeigher,
        OversizePolicy oversizePolicy,
        Function<? super I, ? extends List<? extends I>> splitter,
        int concurrency,
        Duration batchTimeout,
        RetryPolicy retryPolicy,
        long tokenBudget,
        long inFlightBytes,
        int requestsPerMinute,
        long tokensPerMinute,
        Duration adaptiveBatchSize,
        long sizeHint,
        CallPacer pacer,
        Optional<CallPermits> permits,
        Optional<Duration> jobTimeout,
        PackingPolicy packing) {
      Builder<I> b =
          new Builder<I>()
              .name(name)
              .maxItems(maxItems)
              .maxTokens(maxTokens)
              .contextWindow(contextWindow)
              .tokenCounter(tokenCounter)
              .byteWeigher(byteWeigher)
              .concurrency(concurrency)
              .batchTimeout(batchTimeout)
              .retryPolicy(retryPolicy)
              .tokenBudget(tokenBudget)
              .inFlightBytes(inFlightBytes)
              .requestsPerMinute(requestsPerMinute)
              .tokensPerMinute(tokensPerMinute)
              .adaptiveBatchSize(adaptiveBatchSize)
              .sizeHint(sizeHint)
              .pacer(pacer)
              .packing(packing);
      permits.ifPresent(b::permits);
      jobTimeout.ifPresent(b::jobTimeout);
      if (Objects.requireNonNull(oversizePolicy, "oversizePolicy") == OversizePolicy.SPLIT) {
        b.splitOversize(splitter);
      }
      if (contextWindow < maxTokens) {
        throw new IllegalArgumentException(
            "contextWindow was "
                + contextWindow
                + "; it must be at least maxTokens ("
                + maxTokens
                + ")");
      }
    }

    private static long atLeast(String option, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(
            option + " was " + value + "; it must be at least " + min);
      }
      return value;
    }

    private static Duration positive(String option, Duration value) {
      Objects.requireNonNull(value, option);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(option + " was " + value + "; it must be positive");
      }
      return value;
    }
  }
}

package io.batchwise.scheduler;

import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How one job packs, runs and retries its items. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults are derived, not hard-coded in the logic: batches of at most {@value #DEFAULT_MAX_ITEMS}
 * items and {@value #DEFAULT_MAX_TOKENS} tokens within a {@value #DEFAULT_CONTEXT_WINDOW}-token
 * context window; {@code cores × }{@value #DEFAULT_AGENTS_PER_CORE} agents at once; a
 * {@value #DEFAULT_BATCH_TIMEOUT_SECONDS}-second timeout per batch; {@link RetryPolicy#DEFAULT}; an
 * in-flight bytes budget of a quarter of the maximum heap.
 *
 * @param <I> the item type
 */
public final class JobOptions<I> {
  /** Items per batch unless set: four chunks, as in the agent design this scheduler grew from. */
  public static final int DEFAULT_MAX_ITEMS = 4;
  /** Tokens per batch unless set: half of the default context window, leaving room for the answer. */
  public static final int DEFAULT_MAX_TOKENS = 32_768;
  /** The context window an item must fit in unless set. */
  public static final int DEFAULT_CONTEXT_WINDOW = 65_536;
  /** Agents per core for I/O-bound work unless set. */
  public static final int DEFAULT_AGENTS_PER_CORE = 2;
  /** Seconds before a batch times out unless set. */
  public static final int DEFAULT_BATCH_TIMEOUT_SECONDS = 30;

  private final String name;
  private final int maxItems;
  private final long maxTokens;
  private final long contextWindow;
  private final ToLongFunction<? super I> tokenCounter;
  private final ToLongFunction<? super I> byteWeigher;
  private final OversizePolicy oversizePolicy;
  private final Function<? super I, ? extends List<? extends I>> splitter;
  private final int concurrency;
  private final Duration batchTimeout;
  private final RetryPolicy retryPolicy;
  private final long tokenBudget;
  private final long inFlightBytes;
  private final int requestsPerMinute;
  private final long tokensPerMinute;
  private final boolean adaptiveConcurrency;
  private final Duration adaptiveBatchLatencyTarget;
  private final boolean retainResults;
  private final long sizeHint;
  private final CallPacer pacer;
  private final CallPermits permits;
  private final Duration jobTimeout;
  private final PackingPolicy packing;

  private JobOptions(Builder<I> b) {
    this.name = b.name;
    this.maxItems = b.maxItems;
    this.maxTokens = b.maxTokens;
    this.contextWindow = b.contextWindow;
    this.tokenCounter = b.tokenCounter;
    this.byteWeigher = b.byteWeigher;
    this.oversizePolicy = b.oversizePolicy;
    this.splitter = b.splitter;
    this.concurrency = b.concurrency;
    this.batchTimeout = b.batchTimeout;
    this.retryPolicy = b.retryPolicy;
    this.tokenBudget = b.tokenBudget;
    this.inFlightBytes = b.inFlightBytes;
    this.requestsPerMinute = b.requestsPerMinute;
    this.tokensPerMinute = b.tokensPerMinute;
    this.adaptiveConcurrency = b.adaptiveConcurrency;
    this.adaptiveBatchLatencyTarget = b.adaptiveBatchLatencyTarget;
    this.retainResults = b.retainResults;
    this.sizeHint = b.sizeHint;
    this.pacer = b.pacer;
    this.permits = b.permits;
    this.jobTimeout = b.jobTimeout;
    this.packing = b.packing;
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

  /** @return the job's name, a metrics tag; default {@code job} */
  public String name() {
    return name;
  }

  /** @return the most items per batch */
  public int maxItems() {
    return maxItems;
  }

  /** @return the most tokens per batch (an item above it but within the window runs alone) */
  public long maxTokens() {
    return maxTokens;
  }

  /** @return the most tokens one item may have */
  public long contextWindow() {
    return contextWindow;
  }

  /** @return counts an item's tokens; by default every item counts 0 */
  public ToLongFunction<? super I> tokenCounter() {
    return tokenCounter;
  }

  /** @return estimates an item's bytes in flight; by default 0 (no bytes budget applies) */
  public ToLongFunction<? super I> byteWeigher() {
    return byteWeigher;
  }

  /** @return what to do with an item over the context window */
  public OversizePolicy oversizePolicy() {
    return oversizePolicy;
  }

  /** @return splits an oversize item when the policy is {@link OversizePolicy#SPLIT}, or null */
  public Function<? super I, ? extends List<? extends I>> splitter() {
    return splitter;
  }

  /**
   * @return the most batches running at once, not counting those whose agent released their slot
   *     ({@link Batch#releaseSlot()})
   */
  public int concurrency() {
    return concurrency;
  }

  /** @return the time one batch attempt may take */
  public Duration batchTimeout() {
    return batchTimeout;
  }

  /** @return how retryable failures are retried */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** @return the job-wide token cap, 0 for none */
  public long tokenBudget() {
    return tokenBudget;
  }

  /** @return the most bytes of items in flight at once */
  public long inFlightBytes() {
    return inFlightBytes;
  }

  /** @return the most batches started per minute, 0 for no limit */
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  /** @return the most tokens started per minute, 0 for no limit */
  public long tokensPerMinute() {
    return tokensPerMinute;
  }

  /** @return whether concurrency backs off on rate limits and timeouts and grows on success */
  public boolean adaptiveConcurrency() {
    return adaptiveConcurrency;
  }

  /** @return the latency batches are resized toward, or null when batch size is fixed */
  public Duration adaptiveBatchLatencyTarget() {
    return adaptiveBatchLatencyTarget;
  }

  /** @return whether {@link JobResult#results()} keeps every item's result (false for huge sources) */
  public boolean retainResults() {
    return retainResults;
  }

  /** @return the number of items when known in advance (for the ETA), else -1 */
  public long sizeHint() {
    return sizeHint;
  }

  /** @return reserves each call's start (shared limits, the service's reports); {@link CallPacer#NONE} unless set */
  public CallPacer pacer() {
    return pacer;
  }

  /** @return the permit pool this job shares with others, empty when only its own concurrency limits it */
  public Optional<CallPermits> permits() {
    return Optional.ofNullable(permits);
  }

  /** @return the longest the job may run before its unfinished items fail, empty for no limit */
  public Optional<Duration> jobTimeout() {
    return Optional.ofNullable(jobTimeout);
  }

  /** @return how items are cut into batches; {@link PackingPolicy#inOrder()} unless set */
  public PackingPolicy packing() {
    return packing;
  }

  /**
   * A builder holding these options, to change a few.
   *
   * @return a builder
   */
  public Builder<I> toBuilder() {
    Builder<I> b = new Builder<>();
    b.name = name;
    b.maxItems = maxItems;
    b.maxTokens = maxTokens;
    b.contextWindow = contextWindow;
    b.tokenCounter = tokenCounter;
    b.byteWeigher = byteWeigher;
    b.oversizePolicy = oversizePolicy;
    b.splitter = splitter;
    b.concurrency = concurrency;
    b.batchTimeout = batchTimeout;
    b.retryPolicy = retryPolicy;
    b.tokenBudget = tokenBudget;
    b.inFlightBytes = inFlightBytes;
    b.requestsPerMinute = requestsPerMinute;
    b.tokensPerMinute = tokensPerMinute;
    b.adaptiveConcurrency = adaptiveConcurrency;
    b.adaptiveBatchLatencyTarget = adaptiveBatchLatencyTarget;
    b.retainResults = retainResults;
    b.sizeHint = sizeHint;
    b.pacer = pacer;
    b.permits = permits;
    b.jobTimeout = jobTimeout;
    b.packing = packing;
    return b;
  }

  @Override
  public String toString() {
    return "JobOptions{name=" + name + ", maxItems=" + maxItems + ", maxTokens=" + maxTokens
        + ", contextWindow=" + contextWindow + ", concurrency=" + concurrency + ", batchTimeout="
        + batchTimeout + ", retry=" + retryPolicy + ", tokenBudget=" + tokenBudget
        + ", inFlightBytes=" + inFlightBytes + ", rpm=" + requestsPerMinute + ", tpm="
        + tokensPerMinute + ", adaptiveConcurrency=" + adaptiveConcurrency + ", pacer=" + pacer
        + ", permits=" + permits + ", jobTimeout=" + jobTimeout + ", packing=" + packing + "}";
  }

  /**
   * Builds {@link JobOptions}; {@link #build()} checks the rules that span options.
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
    private Duration adaptiveBatchLatencyTarget;
    private boolean retainResults = true;
    private long sizeHint = -1;
    private CallPacer pacer = CallPacer.NONE;
    private CallPermits permits;
    private Duration jobTimeout;
    private PackingPolicy packing = PackingPolicy.inOrder();

    private Builder() {}

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
     */
    public Builder<I> maxItems(int maxItems) {
      this.maxItems = maxItems;
      return this;
    }

    /**
     * @param maxTokens the most tokens per batch, at least 1
     * @return this builder
     */
    public Builder<I> maxTokens(long maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * @param contextWindow the most tokens one item may have, at least {@code maxTokens}
     * @return this builder
     */
    public Builder<I> contextWindow(long contextWindow) {
      this.contextWindow = contextWindow;
      return this;
    }

    /**
     * @param tokenCounter counts an item's tokens (e.g. {@code tokenizer::count}); called once per item
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
     * @param concurrency the most batches at once, at least 1; a batch whose agent released its slot
     *     ({@link Batch#releaseSlot()}) no longer counts
     * @return this builder
     */
    public Builder<I> concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * @param batchTimeout the time one attempt of a batch may take, positive
     * @return this builder
     */
    public Builder<I> batchTimeout(Duration batchTimeout) {
      this.batchTimeout = Objects.requireNonNull(batchTimeout, "batchTimeout");
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
     */
    public Builder<I> tokenBudget(long tokenBudget) {
      this.tokenBudget = tokenBudget;
      return this;
    }

    /**
     * @param inFlightBytes the most item bytes in flight at once (by the byte weigher), at least 1
     * @return this builder
     */
    public Builder<I> inFlightBytes(long inFlightBytes) {
      this.inFlightBytes = inFlightBytes;
      return this;
    }

    /**
     * @param requestsPerMinute the most batches started per minute, 0 for no limit
     * @return this builder
     */
    public Builder<I> requestsPerMinute(int requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /**
     * @param tokensPerMinute the most tokens started per minute, 0 for no limit
     * @return this builder
     */
    public Builder<I> tokensPerMinute(long tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
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
     * @param target the batch latency to resize batches toward (within {@code maxItems}), or null
     *     for fixed batch sizes
     * @return this builder
     */
    public Builder<I> adaptiveBatchSize(Duration target) {
      this.adaptiveBatchLatencyTarget = target;
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
     * @param size the number of items when known in advance, for the ETA
     * @return this builder
     */
    public Builder<I> sizeHint(long size) {
      this.sizeHint = size;
      return this;
    }

    /**
     * @param pacer reserves each call's start before it runs (a retry too), to keep limits shared with
     *     other jobs ({@link CallLimits}) and to honour a remote service's reported limits
     * @return this builder
     */
    public Builder<I> pacer(CallPacer pacer) {
      this.pacer = Objects.requireNonNull(pacer, "pacer");
      return this;
    }

    /**
     * @param permits a pool shared with other jobs: a batch starts only with a permit from it, on top
     *     of this job's own {@link #concurrency(int)} (see {@link CallPermits})
     * @return this builder
     */
    public Builder<I> permits(CallPermits permits) {
      this.permits = Objects.requireNonNull(permits, "permits");
      return this;
    }

    /**
     * @param jobTimeout the longest the job may run, from its submission: when it passes, running
     *     batches are cancelled, the source is no longer read, every item read and not finished ends
     *     {@link ItemStatus#FAILED} with a {@link java.util.concurrent.TimeoutException} saying so, and
     *     the job completes; positive
     * @return this builder
     */
    public Builder<I> jobTimeout(Duration jobTimeout) {
      this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
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
     * Checks every option and the rules between them.
     *
     * @return the options
     * @throws IllegalArgumentException naming the option, the value and the allowed range
     */
    public JobOptions<I> build() {
      atLeast("maxItems", maxItems, 1);
      atLeast("maxTokens", maxTokens, 1);
      atLeast("contextWindow", contextWindow, maxTokens);
      atLeast("concurrency", concurrency, 1);
      atLeast("tokenBudget", tokenBudget, 0);
      atLeast("inFlightBytes", inFlightBytes, 1);
      atLeast("requestsPerMinute", requestsPerMinute, 0);
      atLeast("tokensPerMinute", tokensPerMinute, 0);
      if (jobTimeout != null && (jobTimeout.isZero() || jobTimeout.isNegative())) {
        throw new IllegalArgumentException("jobTimeout was " + jobTimeout + "; it must be positive");
      }
      if (batchTimeout.isZero() || batchTimeout.isNegative()) {
        throw new IllegalArgumentException("batchTimeout was " + batchTimeout + "; it must be positive");
      }
      if (adaptiveBatchLatencyTarget != null
          && (adaptiveBatchLatencyTarget.isZero() || adaptiveBatchLatencyTarget.isNegative())) {
        throw new IllegalArgumentException(
            "adaptiveBatchSize target was " + adaptiveBatchLatencyTarget + "; it must be positive");
      }
      return new JobOptions<>(this);
    }

    private static void atLeast(String option, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(option + " was " + value + "; it must be at least " + min);
      }
    }
  }
}

package io.batchwise.meters;

/**
 * The names and tags of every meter Batchwise records, in one place.
 *
 * <p>Convention: {@code batchwise.<area>.<what>}, areas {@code embed}, {@code cache}, {@code tokens},
 * {@code job} and {@code http}; counters count events, timers time one operation, gauges report a
 * current level. Tags are lowercase; {@link #TAG_PROVIDER}, {@link #TAG_MODEL}, {@link #TAG_CACHE},
 * {@link #TAG_JOB} and {@link #TAG_OUTCOME} are the only ones used, so dashboards can rely on them.
 */
public final class MeterNames {
  private MeterNames() {}

  /** Tag: the provider id ({@code local}, {@code openai}, ...). */
  public static final String TAG_PROVIDER = "provider";
  /** Tag: the model id. */
  public static final String TAG_MODEL = "model";
  /** Tag: the cache id ({@code caffeine}, {@code sqlite}, {@code redis}, {@code tiered}). */
  public static final String TAG_CACHE = "cache";
  /** Tag: the job name from {@code JobOptions.name()}. */
  public static final String TAG_JOB = "job";
  /** Tag: {@code success}, {@code failure}, {@code timeout}, {@code retry}, ... */
  public static final String TAG_OUTCOME = "outcome";

  /** Counter: inputs given to {@code embedAll} (before dedupe). */
  public static final String EMBED_INPUTS = "batchwise.embed.inputs";
  /** Counter: distinct inputs after dedupe. */
  public static final String EMBED_UNIQUE_INPUTS = "batchwise.embed.unique.inputs";
  /**
   * Counter: distinct inputs of an embed answered by the cache (the embed-level count; the cache's
   * own {@link #CACHE_HITS} counts its lookups).
   */
  public static final String EMBED_CACHE_HITS = "batchwise.embed.cache.hits";
  /** Counter: inputs that failed (validation, limit policy, provider). */
  public static final String EMBED_FAILURES = "batchwise.embed.failures";
  /** Counter: inputs truncated to the per-input token limit. */
  public static final String EMBED_TRUNCATIONS = "batchwise.embed.truncations";
  /** Counter: provider calls made (one per attempt). */
  public static final String EMBED_CALLS = "batchwise.embed.calls";
  /**
   * Counter: vectors the provider returned, counted as each call is answered (not when its embed
   * ends), so that a long embed's progress shows from its first call.
   */
  public static final String EMBED_VECTORS = "batchwise.embed.vectors";
  /** Timer: one provider call, tagged by outcome. */
  public static final String EMBED_CALL_LATENCY = "batchwise.embed.call.latency";
  /** Timer: one whole {@code embedAll}. */
  public static final String EMBED_LATENCY = "batchwise.embed.latency";

  /** Counter: cache lookups that found a vector. */
  public static final String CACHE_HITS = "batchwise.cache.hits";
  /** Counter: cache lookups that found nothing. */
  public static final String CACHE_MISSES = "batchwise.cache.misses";
  /** Counter: vectors stored. */
  public static final String CACHE_PUTS = "batchwise.cache.puts";
  /** Counter: entries evicted. */
  public static final String CACHE_EVICTIONS = "batchwise.cache.evictions";
  /** Counter: backend errors treated as misses or dropped stores. */
  public static final String CACHE_ERRORS = "batchwise.cache.errors";
  /** Timer: one bulk lookup or load. */
  public static final String CACHE_LOAD = "batchwise.cache.load";

  /** Counter: tokens counted or sent, tagged by what ({@code prompt}, {@code counted}). */
  public static final String TOKENS = "batchwise.tokens";
  /** Counter: prompt tokens a remote provider's server reported using ({@code usage.prompt_tokens}). */
  public static final String TOKENS_PROMPT = "batchwise.tokens.prompt";
  /** Counter: completion tokens a chat server reported writing ({@code usage.completion_tokens}). */
  public static final String TOKENS_COMPLETION = "batchwise.tokens.completion";
  /** Counter: token counts answered from the count cache. */
  public static final String TOKENS_COUNT_CACHE_HITS = "batchwise.tokens.count.cache.hits";
  /** Counter: token counts computed by a tokenizer. */
  public static final String TOKENS_COUNT_CACHE_MISSES = "batchwise.tokens.count.cache.misses";

  /** Counter: jobs submitted. */
  public static final String JOB_SUBMITTED = "batchwise.job.submitted";
  /** Counter: items finished, tagged by outcome (succeeded, failed, cancelled, skipped). */
  public static final String JOB_ITEMS = "batchwise.job.items";
  /** Counter: batch attempts started. */
  public static final String JOB_BATCHES = "batchwise.job.batches";
  /** Counter: batch retries. */
  public static final String JOB_RETRIES = "batchwise.job.retries";
  /** Counter: batch attempts that timed out. */
  public static final String JOB_TIMEOUTS = "batchwise.job.timeouts";
  /** Timer: one batch attempt, tagged by outcome. */
  public static final String JOB_BATCH_LATENCY = "batchwise.job.batch.latency";
  /** Gauge: batches running now. */
  public static final String JOB_IN_FLIGHT = "batchwise.job.in.flight";
  /** Gauge: the current concurrency limit (changes under adaptive concurrency). */
  public static final String JOB_CONCURRENCY = "batchwise.job.concurrency";
  /** Counter: tokens of the batches a job started (first attempts; the figure token budgets cap). */
  public static final String JOB_TOKENS = "batchwise.job.tokens";
  /** Timer: one whole job, from submit to completion, tagged by outcome ({@code completed}, {@code stopped}). */
  public static final String JOB_DURATION = "batchwise.job.duration";

  /** Counter: HTTP requests sent, tagged by outcome (status class). */
  public static final String HTTP_REQUESTS = "batchwise.http.requests";
  /** Timer: one HTTP request. */
  public static final String HTTP_LATENCY = "batchwise.http.latency";
  /** Counter: bytes of HTTP request bodies. */
  public static final String HTTP_REQUEST_BYTES = "batchwise.http.request.bytes";
  /** Counter: bytes of HTTP response bodies. */
  public static final String HTTP_RESPONSE_BYTES = "batchwise.http.response.bytes";
}

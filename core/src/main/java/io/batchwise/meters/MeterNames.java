package io.batchwise.meters;

/**
 * The names and tags of every meter Batchwise records, in one place.
 *
 * <p>Convention: {@code batchwise.<area>.<what>}, areas {@code embed}, {@code cache}, {@code
 * tokens}, {@code job} and {@code http}; counters count events, timers time one operation, gauges
 * report a current level. Tags are lowercase; {@link #TAG_PROVIDER}, {@link #TAG_MODEL}, {@link
 * #TAG_CACHE}, {@link #TAG_JOB}, {@link #TAG_OUTCOME} and {@link #TAG_TOKENIZER} are the only ones
 * the {@code batchwise.*} meters use, so dashboards can rely on them. Each constant's javadoc
 * starts with the meter's kind and says its tags beyond provider and model and its base unit where
 * it has one (a test holds the registered meters to it). Timers publish no percentiles of their
 * own: a registry that wants them adds a {@code MeterFilter} (the metrics module's {@code
 * BatchwiseMetrics.percentiles()}).
 *
 * <p>Beside them, every provider call records the two histograms of the OpenTelemetry semantic
 * conventions for generative-AI clients ({@link #GEN_AI_OPERATION_DURATION}, {@link
 * #GEN_AI_TOKEN_USAGE}), which dashboards built for those conventions read as they are; and with an
 * {@code ObservationRegistry} given to the builder, one {@code Observation} per embed ({@link
 * #OBSERVATION_EMBED}) with one child per provider call ({@link #OBSERVATION_CALL}), which Spring
 * Boot's tracing and OpenTelemetry show as spans.
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

  /** Tag: the name of the tokenizer whose counts are cached. */
  public static final String TAG_TOKENIZER = "tokenizer";

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

  /**
   * Counter: tokens of the inputs embeds sent to the provider, as the provider's tokenizer counted
   * them (after truncation); cache hits count none.
   */
  public static final String TOKENS = "batchwise.tokens";

  /**
   * Counter: prompt tokens a remote provider's server reported using ({@code usage.prompt_tokens}).
   */
  public static final String TOKENS_PROMPT = "batchwise.tokens.prompt";

  /**
   * Counter: completion tokens a chat server reported writing ({@code usage.completion_tokens}).
   */
  public static final String TOKENS_COMPLETION = "batchwise.tokens.completion";

  /** Counter: token counts answered from the count cache, tagged by {@link #TAG_TOKENIZER}. */
  public static final String TOKENS_COUNT_CACHE_HITS = "batchwise.tokens.count.cache.hits";

  /** Counter: token counts computed by a tokenizer, tagged by {@link #TAG_TOKENIZER}. */
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

  /**
   * Counter: tokens of the batches a job started (first attempts; the figure token budgets cap).
   */
  public static final String JOB_TOKENS = "batchwise.job.tokens";

  /**
   * Timer: one whole job, from submit to completion, tagged by outcome ({@code completed}, {@code
   * stopped}).
   */
  public static final String JOB_DURATION = "batchwise.job.duration";

  /** Counter: HTTP requests sent, tagged by outcome (status class). */
  public static final String HTTP_REQUESTS = "batchwise.http.requests";

  /** Timer: one HTTP request, tagged by outcome (status class). */
  public static final String HTTP_LATENCY = "batchwise.http.latency";

  /** Counter: bytes of HTTP request bodies; base unit {@code bytes}. */
  public static final String HTTP_REQUEST_BYTES = "batchwise.http.request.bytes";

  /** Counter: bytes of HTTP response bodies; base unit {@code bytes}. */
  public static final String HTTP_RESPONSE_BYTES = "batchwise.http.response.bytes";

  /** Tag of the GenAI histograms: the operation, always {@value #GEN_AI_OPERATION_EMBEDDINGS}. */
  public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";

  /** The value of {@link #GEN_AI_OPERATION_NAME} for an embedding call. */
  public static final String GEN_AI_OPERATION_EMBEDDINGS = "embeddings";

  /** Tag of the GenAI histograms: the provider id ({@code openai}, {@code local}, ...). */
  public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";

  /** Tag of the GenAI histograms: the model id the call asked for. */
  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";

  /**
   * Tag of {@link #GEN_AI_TOKEN_USAGE}: always {@value #GEN_AI_TOKEN_TYPE_INPUT} (embeddings have
   * no output tokens).
   */
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";

  /** The value of {@link #GEN_AI_TOKEN_TYPE}. */
  public static final String GEN_AI_TOKEN_TYPE_INPUT = "input";

  /**
   * Tag of {@link #GEN_AI_OPERATION_DURATION} on a failed call only: the class name of the failure
   * ({@code io.batchwise.spi.CallFailedException}, {@code TimeoutException}, ...).
   */
  public static final String ERROR_TYPE = "error.type";

  /**
   * Histogram (distribution summary): seconds one provider call attempt took, tagged by {@link
   * #GEN_AI_OPERATION_NAME}, {@link #GEN_AI_PROVIDER_NAME}, {@link #GEN_AI_REQUEST_MODEL}, and
   * {@link #ERROR_TYPE} when it failed; base unit {@code s}. The OpenTelemetry GenAI client metric.
   */
  public static final String GEN_AI_OPERATION_DURATION = "gen_ai.client.operation.duration";

  /**
   * Histogram (distribution summary): input tokens of one answered provider call (as the provider's
   * tokenizer counted them), tagged by {@link #GEN_AI_OPERATION_NAME}, {@link
   * #GEN_AI_PROVIDER_NAME}, {@link #GEN_AI_REQUEST_MODEL} and {@link #GEN_AI_TOKEN_TYPE}; base unit
   * {@code {token}}. The OpenTelemetry GenAI client metric.
   */
  public static final String GEN_AI_TOKEN_USAGE = "gen_ai.client.token.usage";

  /**
   * Observation: one {@code embedAll} (or {@code embedStream} window), from the call to its result.
   * Low-cardinality key values {@link #TAG_PROVIDER}, {@link #TAG_MODEL}, {@link #KEY_INPUT_TYPE};
   * high-cardinality {@link #KEY_INPUTS}, {@link #KEY_TOKENS}, {@link #KEY_CACHE_HITS}, {@link
   * #KEY_CALLS}, {@link #KEY_RETRIES}, {@link #KEY_FAILED}, set when it ends. Its parent is the
   * observation current on the calling thread (a web request's, say). Embeds that {@code
   * coalesce-window} joins share their provider calls, which are children of the first of them.
   */
  public static final String OBSERVATION_EMBED = "batchwise.embed";

  /**
   * Observation: one provider call attempt, a child of its embed's; contextual name {@code
   * embeddings <model>} as the GenAI conventions name spans. Low-cardinality key values {@link
   * #TAG_PROVIDER}, {@link #TAG_MODEL}, {@link #GEN_AI_OPERATION_NAME}, {@link
   * #GEN_AI_PROVIDER_NAME}, {@link #GEN_AI_REQUEST_MODEL}; high-cardinality {@link #KEY_INPUTS},
   * {@link #KEY_TOKENS} and {@link #KEY_ATTEMPT}; its error when it failed.
   */
  public static final String OBSERVATION_CALL = "batchwise.embed.call";

  /** Observation key: {@code query} or {@code document}. */
  public static final String KEY_INPUT_TYPE = "input.type";

  /** Observation key: inputs of the embed (before dedupe) or texts of the call. */
  public static final String KEY_INPUTS = "inputs";

  /** Observation key: tokens sent (the embed's, or the call's). */
  public static final String KEY_TOKENS = "tokens";

  /** Observation key: the embed's distinct inputs the cache answered. */
  public static final String KEY_CACHE_HITS = "cache.hits";

  /** Observation key: provider calls the embed made (attempts, retries included). */
  public static final String KEY_CALLS = "calls";

  /** Observation key: retried provider call attempts of the embed. */
  public static final String KEY_RETRIES = "retries";

  /** Observation key: inputs of the embed that got no vector. */
  public static final String KEY_FAILED = "failed";

  /** Observation key: which attempt at the call this is, from 1 (above 1: a retry). */
  public static final String KEY_ATTEMPT = "attempt";
}

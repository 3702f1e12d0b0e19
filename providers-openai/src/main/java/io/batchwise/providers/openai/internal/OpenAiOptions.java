package io.batchwise.providers.openai.internal;

import io.batchwise.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * The options of the {@code openai} provider, in one place. Every key is namespaced {@code
 * openai.}.
 */
public final class OpenAiOptions {
  private OpenAiOptions() {}

  /** The OpenAI default base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** The model used unless configured. */
  public static final String DEFAULT_MODEL = "text-embedding-3-small";

  /** The Azure OpenAI API version used unless configured: the latest GA version with embeddings. */
  public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

  /** OpenAI's limit on inputs per embeddings request. */
  public static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 2048;

  /** OpenAI's limit on tokens summed over one embeddings request's inputs. */
  public static final int DEFAULT_MAX_TOKENS_PER_REQUEST = 300_000;

  /** The context length of OpenAI's embedding models. */
  public static final int DEFAULT_MAX_TOKENS_PER_INPUT = 8191;

  /** Larger vectors than any embedding model produces: a typo guard, not a model limit. */
  public static final int MAX_DIMENSIONS = 65_536;

  /** The values of {@link #ENCODING_FORMAT}. */
  public enum EncodingFormat {
    /** Vectors as base64 of little-endian float32: compact. */
    BASE64,
    /** Vectors as JSON numbers. */
    FLOAT
  }

  /** The values of {@link #SEND_DIMENSIONS}. */
  public enum SendDimensions {
    /** Send it when set and the model accepts it (text-embedding-3-*). */
    AUTO,
    /** Send it whenever it is set. */
    ALWAYS,
    /** Never send it. */
    NEVER
  }

  /** API key: sent as {@code Authorization: Bearer} (or {@code api-key} for Azure). Secret. */
  public static final ConfigOption<String> API_KEY =
      ConfigOption.secret(
          "openai.api-key",
          "API key; required for api.openai.com and Azure, optional for local servers",
          "OPENAI_API_KEY");

  /** Base URL of the OpenAI-compatible API, up to and excluding {@code /embeddings}. */
  public static final ConfigOption<String> BASE_URL =
      ConfigOption.text(
              "openai.base-url",
              DEFAULT_BASE_URL,
              "base URL of the OpenAI-compatible API (Ollama: http://localhost:11434/v1; Azure: https://RESOURCE.openai.azure.com)")
          .withEnvAliases("OPENAI_BASE_URL");

  /** {@code OpenAI-Organization} header. */
  public static final ConfigOption<String> ORGANIZATION =
      ConfigOption.text(
              "openai.organization", null, "OpenAI organization id (OpenAI-Organization header)")
          .withEnvAliases("OPENAI_ORG_ID");

  /** {@code OpenAI-Project} header. */
  public static final ConfigOption<String> PROJECT =
      ConfigOption.text("openai.project", null, "OpenAI project id (OpenAI-Project header)")
          .withEnvAliases("OPENAI_PROJECT_ID");

  /** Model name; the core {@code model} option wins when set. */
  public static final ConfigOption<String> MODEL =
      ConfigOption.text(
          "openai.model",
          DEFAULT_MODEL,
          "embedding model; the core 'model' option overrides it when set");

  /** Output dimensions. */
  public static final ConfigOption<Integer> DIMENSIONS =
      ConfigOption.integer(
          "openai.dimensions",
          1,
          MAX_DIMENSIONS,
          "vector length: shortens text-embedding-3-* vectors; required for models this provider does not know");

  /** When to send the {@code dimensions} request field. */
  public static final ConfigOption<SendDimensions> SEND_DIMENSIONS =
      ConfigOption.choice(
              "openai.send-dimensions",
              SendDimensions.class,
              "send the 'dimensions' field: auto (for text-embedding-3-* models), always, or never")
          .withDefault(SendDimensions.AUTO);

  /** {@code user} request field. */
  public static final ConfigOption<String> USER =
      ConfigOption.text("openai.user", null, "end-user id sent as the 'user' field");

  /** {@code encoding_format}. */
  public static final ConfigOption<EncodingFormat> ENCODING_FORMAT =
      ConfigOption.choice(
              "openai.encoding-format",
              EncodingFormat.class,
              "base64 (compact; falls back to float when the server rejects it) or float")
          .withDefault(EncodingFormat.BASE64);

  /** Azure deployment name: switches to Azure-style URLs and the {@code api-key} header. */
  public static final ConfigOption<String> AZURE_DEPLOYMENT =
      ConfigOption.text(
          "openai.azure-deployment",
          null,
          "Azure OpenAI deployment; when set, requests go to {base}/openai/deployments/{deployment}/embeddings");

  /** Azure {@code api-version} query parameter. */
  public static final ConfigOption<String> AZURE_API_VERSION =
      ConfigOption.text(
          "openai.azure-api-version", DEFAULT_AZURE_API_VERSION, "Azure OpenAI api-version");

  /** Inputs per request. */
  public static final ConfigOption<Integer> MAX_INPUTS_PER_REQUEST =
      ConfigOption.integer(
              "openai.max-inputs-per-request", 1, 1_000_000, "most inputs in one request")
          .withDefault(DEFAULT_MAX_INPUTS_PER_REQUEST);

  /** Tokens per request. */
  public static final ConfigOption<Integer> MAX_TOKENS_PER_REQUEST =
      ConfigOption.integer(
              "openai.max-tokens-per-request",
              1,
              Integer.MAX_VALUE,
              "most tokens, summed over the inputs, in one request")
          .withDefault(DEFAULT_MAX_TOKENS_PER_REQUEST);

  /** Tokens per input. */
  public static final ConfigOption<Integer> MAX_TOKENS_PER_INPUT =
      ConfigOption.integer(
              "openai.max-tokens-per-input",
              1,
              100_000_000,
              "most tokens in one input (the model's context length)")
          .withDefault(DEFAULT_MAX_TOKENS_PER_INPUT);

  /**
   * Prepended to every query ({@code embedQuery}, {@code embedAll(texts, QUERY)}, an index search):
   * for an OpenAI-compatible server hosting an e5, bge or nomic model, which takes its prefixes in
   * the text.
   */
  public static final ConfigOption<String> QUERY_PREFIX =
      ConfigOption.text(
          "openai.query-prefix",
          "",
          "text prepended to every query (embedQuery, embedAll(texts, QUERY), index search), for servers hosting"
              + " e5, bge or nomic models, e.g. 'query: '; counted against the per-input and per-request limits");

  /** Prepended to every document ({@code embedAll}, {@code embedStream}, index building). */
  public static final ConfigOption<String> DOCUMENT_PREFIX =
      ConfigOption.text(
          "openai.document-prefix",
          "",
          "text prepended to every document (embedAll, embedStream, index building), for servers hosting e5,"
              + " bge or nomic models, e.g. 'passage: '; counted against the per-input and per-request limits");

  /** Tokenizer override. */
  public static final ConfigOption<String> TOKENIZER =
      ConfigOption.text(
          "openai.tokenizer",
          null,
          "tiktoken encoding to count tokens with (cl100k_base, o200k_base, p50k_base, r50k_base); default from the model, else cl100k_base");

  /** Connect timeout. */
  public static final ConfigOption<Duration> CONNECT_TIMEOUT =
      ConfigOption.duration(
              "openai.connect-timeout", ConfigOption.POSITIVE, "timeout to open a connection")
          .withDefault(Duration.ofSeconds(10));

  /** Read timeout. */
  public static final ConfigOption<Duration> READ_TIMEOUT =
      ConfigOption.duration(
              "openai.read-timeout",
              ConfigOption.POSITIVE,
              "longest wait for the next bytes of a response (and to write the request)")
          .withDefault(Duration.ofSeconds(30));

  /** Call timeout; unset, it is derived from the core {@code call-timeout}. */
  public static final ConfigOption<Duration> CALL_TIMEOUT =
      ConfigOption.duration(
          "openai.call-timeout",
          ConfigOption.POSITIVE,
          "longest one request may take in all; must be below the core call-timeout (the scheduler's"
              + " batch timeout); default: a little below it (28s for the default 30s)");

  /** Requests per minute. */
  public static final ConfigOption<Integer> REQUESTS_PER_MINUTE =
      ConfigOption.integer(
              "openai.requests-per-minute",
              0,
              100_000_000,
              "requests-per-minute limit of your account for the rate-limit state (0: the core"
                  + " requests-per-minute, and what x-ratelimit headers report)")
          .withDefault(0);

  /** Tokens per minute. */
  public static final ConfigOption<Long> TOKENS_PER_MINUTE =
      ConfigOption.longInteger(
              "openai.tokens-per-minute",
              0,
              1_000_000_000_000L,
              "tokens-per-minute limit of your account for the rate-limit state (0: the core"
                  + " tokens-per-minute, and what x-ratelimit headers report)")
          .withDefault(0L);

  /** Plain-HTTP opt-in. */
  public static final ConfigOption<Boolean> ALLOW_INSECURE_HTTP =
      ConfigOption.flag(
          "openai.allow-insecure-http",
          false,
          "allow sending the API key over plain http to a host other than loopback");

  /** The Batch API's most embedding inputs over the requests of one batch. */
  public static final int MAX_INPUTS_PER_BATCH = 50_000;

  /** The values of {@link #BATCH_ON_EXPIRED}. */
  public enum OnExpired {
    /** Send the requests an expired batch did not run again, in a new batch. */
    RESUBMIT,
    /** Fail the inputs of the requests it did not run. */
    FAIL
  }

  /** Where Batch API jobs keep their state, request and output files. */
  public static final ConfigOption<String> BATCH_STATE_DIR =
      ConfigOption.text(
          "openai.batch.state-dir",
          null,
          "Batch API: directory for each job's state (batch and file ids under the job's hash), request and"
              + " output files; default ~/.batchwise/batch-jobs (the command line: OUT.batch beside the output)");

  /** First wait between two polls of a batch. */
  public static final ConfigOption<Duration> BATCH_POLL_INTERVAL =
      ConfigOption.duration(
              "openai.batch.poll-interval",
              ConfigOption.POSITIVE,
              "Batch API: first wait between polls of a job's batches; it doubles while nothing changes, up to"
                  + " openai.batch.max-poll-interval")
          .withDefault(Duration.ofSeconds(15));

  /** Longest wait between two polls. */
  public static final ConfigOption<Duration> BATCH_MAX_POLL_INTERVAL =
      ConfigOption.duration(
              "openai.batch.max-poll-interval",
              ConfigOption.POSITIVE,
              "Batch API: longest wait between polls")
          .withDefault(Duration.ofMinutes(5));

  /** Inputs over all requests of one batch. */
  public static final ConfigOption<Integer> BATCH_MAX_INPUTS =
      ConfigOption.integer(
              "openai.batch.max-inputs-per-batch",
              1,
              MAX_INPUTS_PER_BATCH,
              "Batch API: most embedding inputs over all requests of one batch (OpenAI's limit: 50,000); a job"
                  + " with more goes in several batches")
          .withDefault(MAX_INPUTS_PER_BATCH);

  /** Enqueued-token limit of the account. */
  public static final ConfigOption<Long> BATCH_ENQUEUED_TOKENS =
      ConfigOption.longInteger(
              "openai.batch.enqueued-token-limit",
              0,
              Long.MAX_VALUE,
              "Batch API: your account's enqueued-token limit for the model; a job over it goes in waves, each"
                  + " wave's batches within it (0: no limit)")
          .withDefault(0L);

  /** What happens to the requests of an expired batch that did not run. */
  public static final ConfigOption<OnExpired> BATCH_ON_EXPIRED =
      ConfigOption.choice(
              "openai.batch.on-expired",
              OnExpired.class,
              "Batch API: resubmit (in a new batch) or fail the requests an expired batch did not run; the"
                  + " requests it ran are kept either way")
          .withDefault(OnExpired.RESUBMIT);

  /** Keep files on the service. */
  public static final ConfigOption<Boolean> BATCH_KEEP_FILES =
      ConfigOption.flag(
          "openai.batch.keep-files",
          false,
          "Batch API: keep the request, output and error files on the service (and the job directory)"
              + " after the vectors are stored; by default they are deleted then");

  /** Timeout of one upload or download. */
  public static final ConfigOption<Duration> BATCH_TRANSFER_TIMEOUT =
      ConfigOption.duration(
              "openai.batch.transfer-timeout",
              ConfigOption.POSITIVE,
              "Batch API: longest one request to /files or /batches may take in all, a 200 MB upload or an"
                  + " output download included")
          .withDefault(Duration.ofMinutes(10));

  /** Every option, in the order of the configuration reference. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          API_KEY,
          BASE_URL,
          ORGANIZATION,
          PROJECT,
          MODEL,
          DIMENSIONS,
          SEND_DIMENSIONS,
          USER,
          ENCODING_FORMAT,
          AZURE_DEPLOYMENT,
          AZURE_API_VERSION,
          MAX_INPUTS_PER_REQUEST,
          MAX_TOKENS_PER_REQUEST,
          MAX_TOKENS_PER_INPUT,
          QUERY_PREFIX,
          DOCUMENT_PREFIX,
          TOKENIZER,
          CONNECT_TIMEOUT,
          READ_TIMEOUT,
          CALL_TIMEOUT,
          REQUESTS_PER_MINUTE,
          TOKENS_PER_MINUTE,
          ALLOW_INSECURE_HTTP,
          BATCH_STATE_DIR,
          BATCH_POLL_INTERVAL,
          BATCH_MAX_POLL_INTERVAL,
          BATCH_MAX_INPUTS,
          BATCH_ENQUEUED_TOKENS,
          BATCH_ON_EXPIRED,
          BATCH_KEEP_FILES,
          BATCH_TRANSFER_TIMEOUT);
}

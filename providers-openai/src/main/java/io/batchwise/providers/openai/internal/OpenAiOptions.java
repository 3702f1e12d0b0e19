package io.batchwise.providers.openai.internal;

import io.batchwise.config.ConfigOption;
import java.util.List;

/**
 * The options of the {@code openai} provider, in one place. Every key is namespaced {@code openai.}.
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

  /** API key: sent as {@code Authorization: Bearer} (or {@code api-key} for Azure). Secret. */
  public static final ConfigOption API_KEY =
      ConfigOption.secret(
          "openai.api-key",
          "API key; required for api.openai.com and Azure, optional for local servers",
          "OPENAI_API_KEY");
  /** Base URL of the OpenAI-compatible API, up to and excluding {@code /embeddings}. */
  public static final ConfigOption BASE_URL =
      new ConfigOption(
          "openai.base-url",
          DEFAULT_BASE_URL,
          "base URL of the OpenAI-compatible API (Ollama: http://localhost:11434/v1; Azure: https://RESOURCE.openai.azure.com)",
          List.of("OPENAI_BASE_URL"),
          false);
  /** {@code OpenAI-Organization} header. */
  public static final ConfigOption ORGANIZATION =
      new ConfigOption(
          "openai.organization", null, "OpenAI organization id (OpenAI-Organization header)",
          List.of("OPENAI_ORG_ID"), false);
  /** {@code OpenAI-Project} header. */
  public static final ConfigOption PROJECT =
      new ConfigOption(
          "openai.project", null, "OpenAI project id (OpenAI-Project header)",
          List.of("OPENAI_PROJECT_ID"), false);
  /** Model name; the core {@code model} option wins when set. */
  public static final ConfigOption MODEL =
      ConfigOption.of(
          "openai.model", DEFAULT_MODEL,
          "embedding model; the core 'model' option overrides it when set");
  /** Output dimensions. */
  public static final ConfigOption DIMENSIONS =
      ConfigOption.of(
          "openai.dimensions", null,
          "vector length: shortens text-embedding-3-* vectors; required for models this provider does not know");
  /** When to send the {@code dimensions} request field. */
  public static final ConfigOption SEND_DIMENSIONS =
      ConfigOption.of(
          "openai.send-dimensions", "auto",
          "send the 'dimensions' field: auto (for text-embedding-3-* models), always, or never");
  /** {@code user} request field. */
  public static final ConfigOption USER =
      ConfigOption.of("openai.user", null, "end-user id sent as the 'user' field");
  /** {@code encoding_format}. */
  public static final ConfigOption ENCODING_FORMAT =
      ConfigOption.of(
          "openai.encoding-format", "base64",
          "base64 (compact; falls back to float when the server rejects it) or float");
  /** Azure deployment name: switches to Azure-style URLs and the {@code api-key} header. */
  public static final ConfigOption AZURE_DEPLOYMENT =
      ConfigOption.of(
          "openai.azure-deployment", null,
          "Azure OpenAI deployment; when set, requests go to {base}/openai/deployments/{deployment}/embeddings");
  /** Azure {@code api-version} query parameter. */
  public static final ConfigOption AZURE_API_VERSION =
      ConfigOption.of(
          "openai.azure-api-version", DEFAULT_AZURE_API_VERSION, "Azure OpenAI api-version");
  /** Inputs per request. */
  public static final ConfigOption MAX_INPUTS_PER_REQUEST =
      ConfigOption.of(
          "openai.max-inputs-per-request", String.valueOf(DEFAULT_MAX_INPUTS_PER_REQUEST),
          "most inputs in one request");
  /** Tokens per request. */
  public static final ConfigOption MAX_TOKENS_PER_REQUEST =
      ConfigOption.of(
          "openai.max-tokens-per-request", String.valueOf(DEFAULT_MAX_TOKENS_PER_REQUEST),
          "most tokens, summed over the inputs, in one request");
  /** Tokens per input. */
  public static final ConfigOption MAX_TOKENS_PER_INPUT =
      ConfigOption.of(
          "openai.max-tokens-per-input", String.valueOf(DEFAULT_MAX_TOKENS_PER_INPUT),
          "most tokens in one input (the model's context length)");
  /**
   * Prepended to every query ({@code embedQuery}, {@code embedAll(texts, QUERY)}, an index search): for
   * an OpenAI-compatible server hosting an e5, bge or nomic model, which takes its prefixes in the text.
   */
  public static final ConfigOption QUERY_PREFIX =
      ConfigOption.of(
          "openai.query-prefix", "",
          "text prepended to every query (embedQuery, embedAll(texts, QUERY), index search), for servers hosting"
              + " e5, bge or nomic models, e.g. 'query: '; counted against the per-input and per-request limits");
  /** Prepended to every document ({@code embedAll}, {@code embedStream}, index building). */
  public static final ConfigOption DOCUMENT_PREFIX =
      ConfigOption.of(
          "openai.document-prefix", "",
          "text prepended to every document (embedAll, embedStream, index building), for servers hosting e5,"
              + " bge or nomic models, e.g. 'passage: '; counted against the per-input and per-request limits");
  /** Tokenizer override. */
  public static final ConfigOption TOKENIZER =
      ConfigOption.of(
          "openai.tokenizer", null,
          "tiktoken encoding to count tokens with (cl100k_base, o200k_base, p50k_base, r50k_base); default from the model, else cl100k_base");
  /** Connect timeout. */
  public static final ConfigOption CONNECT_TIMEOUT =
      ConfigOption.of("openai.connect-timeout", "10s", "timeout to open a connection");
  /** Read timeout. */
  public static final ConfigOption READ_TIMEOUT =
      ConfigOption.of(
          "openai.read-timeout", "30s",
          "longest wait for the next bytes of a response (and to write the request)");
  /** Call timeout; unset, it is derived from the core {@code call-timeout}. */
  public static final ConfigOption CALL_TIMEOUT =
      ConfigOption.of(
          "openai.call-timeout", null,
          "longest one request may take in all; must be below the core call-timeout (the scheduler's"
              + " batch timeout); default: a little below it (28s for the default 30s)");
  /** Requests per minute. */
  public static final ConfigOption REQUESTS_PER_MINUTE =
      ConfigOption.of(
          "openai.requests-per-minute", "0",
          "requests-per-minute limit of your account for the rate-limit state (0: the core"
              + " requests-per-minute, and what x-ratelimit headers report)");
  /** Tokens per minute. */
  public static final ConfigOption TOKENS_PER_MINUTE =
      ConfigOption.of(
          "openai.tokens-per-minute", "0",
          "tokens-per-minute limit of your account for the rate-limit state (0: the core"
              + " tokens-per-minute, and what x-ratelimit headers report)");
  /** Plain-HTTP opt-in. */
  public static final ConfigOption ALLOW_INSECURE_HTTP =
      ConfigOption.of(
          "openai.allow-insecure-http", "false",
          "allow sending the API key over plain http to a host other than loopback");

  /** Where Batch API jobs keep their state, request and output files. */
  public static final ConfigOption BATCH_STATE_DIR =
      ConfigOption.of(
          "openai.batch.state-dir", null,
          "Batch API: directory for each job's state (batch and file ids under the job's hash), request and"
              + " output files; default ~/.batchwise/batch-jobs (the command line: OUT.batch beside the output)");
  /** First wait between two polls of a batch. */
  public static final ConfigOption BATCH_POLL_INTERVAL =
      ConfigOption.of(
          "openai.batch.poll-interval", "15s",
          "Batch API: first wait between polls of a job's batches; it doubles while nothing changes, up to"
              + " openai.batch.max-poll-interval");
  /** Longest wait between two polls. */
  public static final ConfigOption BATCH_MAX_POLL_INTERVAL =
      ConfigOption.of("openai.batch.max-poll-interval", "5m", "Batch API: longest wait between polls");
  /** Inputs over all requests of one batch. */
  public static final ConfigOption BATCH_MAX_INPUTS =
      ConfigOption.of(
          "openai.batch.max-inputs-per-batch", "50000",
          "Batch API: most embedding inputs over all requests of one batch (OpenAI's limit: 50,000); a job"
              + " with more goes in several batches");
  /** Enqueued-token limit of the account. */
  public static final ConfigOption BATCH_ENQUEUED_TOKENS =
      ConfigOption.of(
          "openai.batch.enqueued-token-limit", "0",
          "Batch API: your account's enqueued-token limit for the model; a job over it goes in waves, each"
              + " wave's batches within it (0: no limit)");
  /** What happens to the requests of an expired batch that did not run. */
  public static final ConfigOption BATCH_ON_EXPIRED =
      ConfigOption.of(
          "openai.batch.on-expired", "resubmit",
          "Batch API: resubmit (in a new batch) or fail the requests an expired batch did not run; the"
              + " requests it ran are kept either way");
  /** Keep files on the service. */
  public static final ConfigOption BATCH_KEEP_FILES =
      ConfigOption.of(
          "openai.batch.keep-files", "false",
          "Batch API: keep the request, output and error files on the service (and the job directory)"
              + " after the vectors are stored; by default they are deleted then");
  /** Timeout of one upload or download. */
  public static final ConfigOption BATCH_TRANSFER_TIMEOUT =
      ConfigOption.of(
          "openai.batch.transfer-timeout", "10m",
          "Batch API: longest one request to /files or /batches may take in all, a 200 MB upload or an"
              + " output download included");

  /** Every option, in the order of the configuration reference. */
  public static final List<ConfigOption> ALL =
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

package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.providers.openai.BatchJob;
import io.batchwise.providers.openai.BatchJobStatus;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Batch API jobs of one {@link Batchwise} instance with the {@code openai} provider: where
 * their requests go (the instance's configured endpoint and key, read now — never from a job's
 * files), the one HTTP transport they share, and the embed pipelines they run their inputs through.
 * Behind {@link io.batchwise.providers.openai.OpenAiBatch}. Thread-safe.
 */
public final class BatchJobs implements AutoCloseable {
  /**
   * The core options that decide what an embed sends and how it fails: the job's pipelines take
   * them from the instance, so a job packs, limits and fails its inputs as the instance's embedder
   * does.
   */
  private static final List<ConfigOption<?>> PIPELINE_OPTIONS =
      List.of(
          CoreOptions.LIMIT_POLICY,
          CoreOptions.MAX_INPUT_CHARS,
          CoreOptions.MAX_INPUTS_PER_CALL,
          CoreOptions.MAX_TOKENS_PER_INPUT,
          CoreOptions.MAX_TOKENS_PER_CALL,
          CoreOptions.COUNT_CACHE_SIZE);

  private final Batchwise bw;
  private final OpenAiEmbeddingProvider provider;
  private final BatchSettings settings;
  private final ObjectMapper mapper;
  private final JsonFactory json;
  private final HttpTransport transport;
  private final BatchApi api;
  private final Map<String, BatchEmbedJob> running = new ConcurrentHashMap<>();

  private BatchJobs(Batchwise bw, OpenAiEmbeddingProvider provider) {
    this.bw = bw;
    this.provider = provider;
    Config config = bw.config();
    this.settings = new BatchSettings(config);
    OpenAiSettings s = provider.settings();
    if (s.isAzure()) {
      throw new ConfigurationException(
          "the Batch API jobs of this module serve OpenAI's /v1/files and /v1/batches;"
              + " Azure OpenAI's Batch API (option '"
              + OpenAiOptions.AZURE_DEPLOYMENT.key()
              + "') takes other URLs and a Global-Batch deployment, and is not supported: embed synchronously");
    }
    this.json = EmbeddingResponseParser.jsonFactory(s.dimensions);
    this.mapper = new ObjectMapper(json);
    FailureClassifier classifier =
        new FailureClassifier(
            "the Batch API at " + Endpoint.describe(s.baseUrl),
            mapper,
            new SecretScrubber(s.apiKey),
            Clock.systemUTC());
    this.transport =
        new HttpTransport(
            "the openai Batch API client",
            s.connection,
            settings.transferTimeout,
            classifier,
            new HeaderRateLimitState(0, 0, System::nanoTime),
            new HttpMeters(bw.meterRegistry(), provider.id(), s.model));
    RetryPolicy d = RetryPolicy.DEFAULT;
    int attempts = config.get(CoreOptions.MAX_ATTEMPTS);
    this.api =
        new BatchApi(
            transport,
            s.connection,
            mapper,
            new RetryPolicy(
                attempts, d.initialBackoff(), d.maxBackoff(), d.multiplier(), d.jitter()));
  }

  /**
   * The Batch API jobs of {@code bw}.
   *
   * @param bw an instance whose provider is {@code openai}
   * @return the jobs
   * @throws IllegalArgumentException when its provider is another
   * @throws ConfigurationException when an {@code openai.batch.*} option is invalid, or the
   *     provider is configured for Azure
   */
  public static BatchJobs of(Batchwise bw) {
    EmbeddingProvider p = bw.provider();
    if (!(p instanceof OpenAiEmbeddingProvider o)) {
      throw new IllegalArgumentException(
          "the Batch API needs the openai provider; this instance's is '" + p.id() + "'");
    }
    return new BatchJobs(bw, o);
  }

  /**
   * The id of the job that embeds {@code texts} as {@code inputType}: a hex SHA-256 of the
   * embedder's identity for the input type (endpoint, model, dimensions, prefixes, per-input limit)
   * and of each input's SHA-256, in order.
   *
   * @param texts the inputs
   * @param inputType what they are embedded as
   * @return the id
   */
  public String jobId(List<String> texts, InputType inputType) {
    MessageDigest job = sha256();
    MessageDigest text = sha256();
    job.update(
        bw.embedder()
            .identity()
            .forInputType(inputType)
            .namespace()
            .getBytes(StandardCharsets.UTF_8));
    for (String t : texts) {
      job.update(t == null ? new byte[32] : text.digest(t.getBytes(StandardCharsets.UTF_8)));
    }
    return HexFormat.of().formatHex(job.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Starts (or resumes, if its state is on disk, or returns, if it runs in this process) the job of
   * {@code texts}.
   *
   * @param texts the inputs
   * @param inputType what they are embedded as
   * @param progress told each time the job's status changes, on the job's thread
   * @return the job
   */
  public BatchJob submit(
      List<String> texts, InputType inputType, Consumer<BatchJobStatus> progress) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(progress, "progress");
    List<String> copy = Collections.unmodifiableList(new ArrayList<>(texts));
    String id = jobId(copy, inputType);
    BatchEmbedJob[] started = new BatchEmbedJob[1];
    BatchEmbedJob job =
        running.computeIfAbsent(
            id, k -> started[0] = new BatchEmbedJob(k, copy, inputType, this, progress));
    if (started[0] != null) {
      job.start();
    }
    return job;
  }

  /**
   * Resumes job {@code jobId}: the same inputs must be given again (a job's files hold its
   * requests, but the inputs' order and the texts that were cache hits are the caller's).
   *
   * @param jobId the id {@link BatchJob#id()} gave
   * @param texts the job's inputs
   * @param inputType what they are embedded as
   * @param progress told each time the job's status changes
   * @return the job
   * @throws IllegalArgumentException when {@code texts} are not the inputs of that job
   */
  public BatchJob resume(
      String jobId, List<String> texts, InputType inputType, Consumer<BatchJobStatus> progress) {
    String actual = jobId(texts, inputType);
    if (!actual.equals(jobId)) {
      throw new IllegalArgumentException(
          "these "
              + texts.size()
              + " inputs (as "
              + inputType.id()
              + ") are those of batch job "
              + actual
              + ", not of "
              + jobId
              + ": a job is resumed with the same inputs, in the same order, and the same embedder settings");
    }
    return submit(texts, inputType, progress);
  }

  BatchSettings settings() {
    return settings;
  }

  Path stateDir() {
    return settings.stateDir;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  JsonFactory json() {
    return json;
  }

  OpenAiEmbeddingProvider provider() {
    return provider;
  }

  BatchApi api() {
    return api;
  }

  void ended(BatchEmbedJob job) {
    running.remove(job.id(), job);
  }

  /**
   * A pipeline like the instance's whose provider records, into {@code collected}, the calls it
   * packs for texts no batch of the job carries yet; one call at a time, so the calls are recorded
   * in the order the pipeline packs them. The job runs it once per wave.
   */
  Batchwise collector(BatchAnswers answers, List<List<String>> collected) {
    return replay(
        BatchReplayProvider.collecting(provider, answers, collected), new SimpleMeterRegistry(), 1);
  }

  /**
   * The job's result: the instance's pipeline run once more, its provider answering from the files.
   */
  EmbedResult answer(
      List<String> texts, InputType inputType, BatchAnswers answers, boolean cancelled) {
    try (Batchwise replay =
        replay(
            BatchReplayProvider.answering(provider, answers, cancelled), bw.meterRegistry(), 0)) {
      return replay.embedder().embedAll(texts, inputType);
    }
  }

  private static <T> void copy(Config from, ConfigOption<T> option, Batchwise.Builder to) {
    from.find(option).ifPresent(v -> to.option(option, v));
  }

  /** A pipeline with the instance's cache and embed options around {@code p}. */
  private Batchwise replay(BatchReplayProvider p, MeterRegistry registry, int concurrency) {
    Batchwise.Builder b =
        Batchwise.builder()
            .provider(p)
            .cache(bw.cache())
            .meterRegistry(registry)
            .sources(new Properties(), Map.of());
    for (ConfigOption<?> option : PIPELINE_OPTIONS) {
      copy(bw.config(), option, b);
    }
    if (concurrency > 0) {
      b.concurrency(concurrency);
    }
    return b.build();
  }

  /**
   * Stops the jobs running in this process without cancelling their batches (submitting the same
   * inputs again resumes them), then closes the HTTP client. Idempotent.
   */
  @Override
  public void close() {
    running.values().forEach(BatchEmbedJob::stop);
    transport.close();
  }
}

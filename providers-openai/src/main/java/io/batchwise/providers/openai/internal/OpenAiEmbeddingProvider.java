package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.batchwise.providers.openai.RateLimitState;
import io.batchwise.providers.openai.RemoteEmbeddingProvider;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code openai} provider: one {@code POST …/embeddings} per {@link #embed(List, CallContext)} call, carrying
 * every text of the call, against OpenAI, Azure OpenAI or any OpenAI-compatible server.
 *
 * <p>It never retries: every failure completes the future with a classified
 * {@link CallFailedException} (see {@link FailureClassifier}), and OkHttp's own silent retry on
 * connection failure is off, so that the scheduler's retries are the only ones. It asks for base64
 * vectors (a quarter of the bytes of decimal floats) and switches to {@code float} for good when a
 * server answers with arrays or rejects base64 (that one call fails as retryable; its retry asks for
 * floats). Cancelling or timing out the returned future cancels the HTTP call. A 200 answer is read as
 * a stream within bounds that a hostile or broken answer cannot stretch ({@link EmbeddingResponseParser});
 * whatever is thrown while a call is sent or its answer read, an {@link OutOfMemoryError} included,
 * completes the future at once. Thread-safe.
 */
final class OpenAiEmbeddingProvider implements RemoteEmbeddingProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbeddingProvider.class);
  /** Most bytes of an error body read: enough for any API error, bounded against a runaway body. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final String id;
  private final OpenAiSettings settings;
  private final ModelInfo modelInfo;
  private final VectorIdentity identity;
  private final Tokenizer tokenizer;
  private final OkHttpClient client;
  private final ExecutorService httpThreads;
  private final Endpoint endpoint;
  private final EmbeddingRequestWriter writer;
  private final EmbeddingResponseParser parser;
  private final FailureClassifier classifier;
  private final HeaderRateLimitState rateLimits;
  private final HttpMeters meters;
  private final AtomicBoolean base64;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String timeouts;

  OpenAiEmbeddingProvider(
      String id,
      OpenAiSettings settings,
      ModelInfo modelInfo,
      Tokenizer tokenizer,
      OkHttpClient client,
      ExecutorService httpThreads,
      Endpoint endpoint,
      JsonFactory json,
      FailureClassifier classifier,
      HeaderRateLimitState rateLimits,
      HttpMeters meters) {
    this.id = id;
    this.settings = settings;
    this.modelInfo = modelInfo;
    // both prefixes, even when empty: an index built with them is refused to an embedder without them
    this.identity = settings.prefixes.addTo(
        EndpointIdentity.of(id, modelInfo, settings.baseUrl, settings.azureDeployment));
    this.tokenizer = tokenizer;
    this.client = client;
    this.httpThreads = httpThreads;
    this.endpoint = endpoint;
    this.writer =
        new EmbeddingRequestWriter(
            json, settings.model, settings.sendDimensions ? settings.dimensions : null, settings.user);
    this.parser = new EmbeddingResponseParser(json);
    this.classifier = classifier;
    this.rateLimits = rateLimits;
    this.meters = meters;
    this.base64 = new AtomicBoolean(settings.base64);
    this.timeouts =
        "connect " + settings.connectTimeout.toMillis() + " ms, read " + settings.readTimeout.toMillis()
            + " ms, call " + settings.callTimeout.toMillis() + " ms";
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  /**
   * The model, the endpoint (two servers may serve different models under one name) and both
   * configured prefixes.
   */
  @Override
  public VectorIdentity identity() {
    return identity;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public BatchStrategy batchStrategy() {
    return BatchStrategy.SINGLE_CALL;
  }

  @Override
  public LimitPolicy defaultLimitPolicy() {
    return LimitPolicy.FAIL;
  }

  @Override
  public RateLimitState rateLimits() {
    return rateLimits;
  }

  @Override
  public CallPacer pacer() {
    return rateLimits;
  }

  @Override
  public Duration callTimeout() {
    return settings.callTimeout;
  }

  /**
   * Sends one request, each text after the configured prefix of the context's input type (if any),
   * unless the context is already cancelled; reports {@code context.answered()} as
   * soon as a successful status arrives, before the body is read and decoded, so the scheduler's slot
   * starts the next request meanwhile.
   */
  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    CallFailedException invalid = checkCall(texts);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    if (context.isCancelled()) {
      return CompletableFuture.failedFuture(new CancellationException("the call was cancelled before it was sent"));
    }
    CompletableFuture<List<float[]>> result = new CompletableFuture<>();
    try {
      boolean askBase64 = base64.get();
      Request request = endpoint.newRequest(
          writer.write(texts, settings.prefixes.prefix(context.inputType()), askBase64));
      Call call = client.newCall(request);
      long start = System.nanoTime();
      call.enqueue(new ResponseHandler(result, texts.size(), askBase64, start, context));
      // a scheduler timeout or cancellation completes the future first: stop the HTTP call too
      result.whenComplete((vectors, failure) -> {
        if (failure != null) {
          call.cancel();
        }
      });
    } catch (Throwable t) {
      result.completeExceptionally(unexpected("could not be sent", texts.size(), t));
    }
    return result;
  }

  /**
   * A failure nothing else classified (an {@link Error} such as {@link OutOfMemoryError}, or a bug):
   * permanent, so that the call ends now instead of at its timeout, and logged, as it should not
   * happen.
   */
  private CallFailedException unexpected(String what, int inputs, Throwable t) {
    CallFailedException failure = classifier.forUnexpected(what, inputs, t);
    try {
      LOG.error("{}", failure.getMessage(), t);
    } catch (Throwable ignored) {
      // logging may fail as well (out of memory): the future is completed all the same
    }
    return failure;
  }

  private CallFailedException checkCall(List<String> texts) {
    if (closed.get()) {
      return CallFailedException.permanent("the openai provider is closed", null);
    }
    if (texts == null || texts.isEmpty()) {
      return CallFailedException.permanent("an embed call needs at least one text", null);
    }
    if (texts.size() > modelInfo.maxInputsPerCall()) {
      return CallFailedException.permanent(
          "an embed call carried " + texts.size() + " inputs; the limit is "
              + modelInfo.maxInputsPerCall() + " (openai.max-inputs-per-request)",
          null);
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        return CallFailedException.permanent("input " + i + " of the embed call is null", null);
      }
    }
    return null;
  }

  /** Completes one call's future from OkHttp's callback. */
  private final class ResponseHandler implements Callback {
    private final CompletableFuture<List<float[]>> result;
    private final int inputs;
    private final boolean askedBase64;
    private final long start;
    private final CallContext context;

    ResponseHandler(CompletableFuture<List<float[]>> result, int inputs, boolean askedBase64, long start,
        CallContext context) {
      this.result = result;
      this.inputs = inputs;
      this.askedBase64 = askedBase64;
      this.start = start;
      this.context = context;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      try {
        meters.record(HttpMeters.OUTCOME_IO_ERROR, System.nanoTime() - start);
        if (result.isDone()) {
          return; // cancelled by the caller; nobody waits for this failure
        }
        CallFailedException failure = closed.get()
            ? CallFailedException.permanent(
                "the openai provider was closed while a call with " + inputs + " inputs was in flight", e)
            : classifier.forIo(e, inputs, timeouts);
        LOG.debug("{}", failure.getMessage());
        result.completeExceptionally(failure);
      } catch (Throwable t) {
        result.completeExceptionally(unexpected("failed", inputs, t));
      }
    }

    /**
     * Reads the answer. Whatever is thrown here (an {@link OutOfMemoryError} while a huge answer is
     * decoded, a listener's error) completes the future: OkHttp would only rethrow it on its thread,
     * and the caller would wait for a timeout.
     */
    @Override
    public void onResponse(Call call, Response response) {
      try {
        handle(response);
      } catch (Throwable t) {
        result.completeExceptionally(unexpected("failed while its answer was read", inputs, t));
      }
    }

    private void handle(Response response) {
      int status = response.code();
      List<float[]> vectors = null;
      CallFailedException failure = null;
      try (response) {
        rateLimits.record(response.headers());
        if (!response.isSuccessful()) {
          failure = failure(response);
        } else {
          context.answered(); // the service is done with this request; reading its answer is ours
          vectors = read(response);
        }
      } catch (InvalidResponseException e) {
        failure = classifier.forInvalidResponse(e, inputs, response.headers());
      } catch (IOException e) {
        failure = classifier.forIo(e, inputs, timeouts);
      }
      long nanos = System.nanoTime() - start;
      meters.record(HttpMeters.outcome(status), nanos); // before completing: callers see the meters
      if (failure != null) {
        LOG.debug("{}", failure.getMessage());
        result.completeExceptionally(failure);
      } else {
        LOG.debug("{} with {} inputs: HTTP {} in {} ms", endpoint, inputs, status, nanos / 1_000_000);
        result.complete(vectors);
      }
    }

    private List<float[]> read(Response response) throws IOException, InvalidResponseException {
      EmbeddingResponseParser.Parsed parsed;
      try (InputStream body = response.body().byteStream()) {
        parsed = parser.parse(body, inputs, modelInfo.dimensions());
      }
      if (parsed.promptTokens() >= 0) {
        meters.promptTokens(parsed.promptTokens());
      }
      if (askedBase64 && parsed.sawFloatArrays() && base64.compareAndSet(true, false)) {
        LOG.info("{} answered encoding_format=base64 with float arrays; asking for float from now on",
            endpoint);
      }
      return parsed.vectors();
    }

    private CallFailedException failure(Response response) throws IOException {
      String body;
      try (InputStream in = response.body().byteStream()) {
        body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
      }
      int status = response.code();
      if (askedBase64 && classifier.rejectsBase64(status, body)) {
        if (base64.compareAndSet(true, false)) {
          LOG.info("{} rejected encoding_format=base64; asking for float from now on", endpoint);
        }
        return CallFailedException.retryable(
            endpoint + " rejected encoding_format=base64 (HTTP " + status + "); later calls ask for"
                + " float, so this call may be retried",
            null,
            Duration.ZERO);
      }
      return classifier.forStatus(status, response.headers(), body, inputs);
    }
  }

  /**
   * Cancels calls in flight, then releases the connection pool and HTTP threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    client.dispatcher().cancelAll();
    httpThreads.shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingProvider{endpoint=" + endpoint + ", model=" + settings.model
        + ", dimensions=" + settings.dimensions + ", key=" + (settings.apiKey == null ? "none" : "****")
        + ", format=" + (base64.get() ? "base64" : "float") + "}";
  }
}

package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.batchwise.providers.openai.RateLimitState;
import io.batchwise.providers.openai.RemoteEmbeddingProvider;
import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.InputType;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code openai} provider: one {@code POST …/embeddings} per {@link #embed(List, CallContext)}
 * call, carrying every text of the call, against OpenAI, Azure OpenAI or any OpenAI-compatible
 * server.
 *
 * <p>It never retries: every failure completes the future with a classified {@link
 * CallFailedException} (see {@link FailureClassifier}), and OkHttp's own silent retry on connection
 * failure is off, so that the scheduler's retries are the only ones. It asks for base64 vectors (a
 * quarter of the bytes of decimal floats) and switches to {@code float} for good when a server
 * answers with arrays or rejects base64 (that one call fails as retryable; its retry asks for
 * floats). Cancelling or timing out the returned future cancels the HTTP call. A 200 answer is read
 * as a stream within bounds that a hostile or broken answer cannot stretch ({@link
 * EmbeddingResponseParser}); whatever is thrown while a call is sent or its answer read, an {@link
 * OutOfMemoryError} included, completes the future at once. Thread-safe.
 */
final class OpenAiEmbeddingProvider implements RemoteEmbeddingProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbeddingProvider.class);

  private final String id;
  private final OpenAiSettings settings;
  private final ModelInfo modelInfo;
  private final VectorIdentity identity;
  private final Tokenizer tokenizer;
  private final HttpTransport transport;
  private final Endpoint endpoint;
  private final EmbeddingRequestWriter writer;
  private final EmbeddingResponseParser parser;
  private final FailureClassifier classifier;
  private final HeaderRateLimitState rateLimits;
  private final HttpMeters meters;
  private final AtomicBoolean base64;

  OpenAiEmbeddingProvider(
      String id,
      OpenAiSettings settings,
      ModelInfo modelInfo,
      Tokenizer tokenizer,
      HttpTransport transport,
      Endpoint endpoint,
      JsonFactory json,
      FailureClassifier classifier,
      HeaderRateLimitState rateLimits,
      HttpMeters meters) {
    this.id = id;
    this.settings = settings;
    this.modelInfo = modelInfo;
    // both prefixes, even when empty: an index built with them is refused to an embedder without
    // them
    this.identity =
        settings.prefixes.addTo(
            EndpointIdentity.of(id, modelInfo, settings.baseUrl, settings.azureDeployment));
    this.tokenizer = tokenizer;
    this.transport = transport;
    this.endpoint = endpoint;
    this.writer =
        new EmbeddingRequestWriter(
            json,
            settings.model,
            settings.sendDimensions ? settings.dimensions : null,
            settings.user);
    this.parser = new EmbeddingResponseParser(json);
    this.classifier = classifier;
    this.rateLimits = rateLimits;
    this.meters = meters;
    this.base64 = new AtomicBoolean(settings.base64);
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
   * unless the context is already cancelled; reports {@code context.answered()} as soon as a
   * successful status arrives, before the body is read and decoded, so the scheduler's slot starts
   * the next request meanwhile.
   */
  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    CallFailedException invalid = checkCall(texts);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    if (context.isCancelled()) {
      return CompletableFuture.failedFuture(
          new CancellationException("the call was cancelled before it was sent"));
    }
    boolean askBase64 = base64.get();
    Request request;
    try {
      request =
          endpoint.newRequest(
              writer.write(texts, settings.prefixes.prefix(context.inputType()), askBase64));
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(
          transport.unexpected("could not be written", texts.size(), t));
    }
    return transport.send(
        request,
        texts.size(),
        context::answered,
        response -> read(response, texts.size(), askBase64),
        (status, body) -> askBase64 ? base64Rejected(status, body) : null);
  }

  /**
   * @return the settings it was made with, for the Batch API job that writes its requests
   */
  OpenAiSettings settings() {
    return settings;
  }

  /**
   * The body of the request {@link #embed} would send for {@code texts} now (the same writer,
   * prefix and encoding): a Batch API request line carries it.
   *
   * @param texts the texts
   * @param inputType what they are embedded as
   * @return the JSON body
   */
  EmbeddingRequestWriter.Body requestBody(List<String> texts, InputType inputType) {
    return writer.write(texts, settings.prefixes.prefix(inputType), base64.get());
  }

  private CallFailedException checkCall(List<String> texts) {
    if (transport.isClosed()) {
      return CallFailedException.permanent("the openai provider is closed", null);
    }
    if (texts == null || texts.isEmpty()) {
      return CallFailedException.permanent("an embed call needs at least one text", null);
    }
    if (texts.size() > modelInfo.maxInputsPerCall()) {
      return CallFailedException.permanent(
          "an embed call carried "
              + texts.size()
              + " inputs; the limit is "
              + modelInfo.maxInputsPerCall()
              + " (openai.max-inputs-per-request)",
          null);
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        return CallFailedException.permanent("input " + i + " of the embed call is null", null);
      }
    }
    return null;
  }

  private List<float[]> read(Response response, int inputs, boolean askedBase64)
      throws IOException, InvalidResponseException {
    EmbeddingResponseParser.Parsed parsed;
    try (InputStream body = response.body().byteStream()) {
      parsed = parser.parse(body, inputs, modelInfo.dimensions());
    }
    if (parsed.promptTokens() >= 0) {
      meters.promptTokens(parsed.promptTokens());
    }
    if (askedBase64 && parsed.sawFloatArrays() && base64.compareAndSet(true, false)) {
      LOG.info(
          "{} answered encoding_format=base64 with float arrays; asking for float from now on",
          endpoint);
    }
    return parsed.vectors();
  }

  /** A server that rejects base64 is asked for floats from now on; this call may be retried. */
  private CallFailedException base64Rejected(int status, String body) {
    if (!classifier.rejectsBase64(status, body)) {
      return null;
    }
    if (base64.compareAndSet(true, false)) {
      LOG.info("{} rejected encoding_format=base64; asking for float from now on", endpoint);
    }
    return CallFailedException.retryable(
        endpoint
            + " rejected encoding_format=base64 (HTTP "
            + status
            + "); later calls ask for"
            + " float, so this call may be retried",
        null,
        Duration.ZERO);
  }

  /** Cancels calls in flight, then releases the connection pool and HTTP threads. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingProvider{endpoint="
        + endpoint
        + ", model="
        + settings.model
        + ", dimensions="
        + settings.dimensions
        + ", key="
        + (settings.apiKey == null ? "none" : "****")
        + ", format="
        + (base64.get() ? "base64" : "float")
        + "}";
  }
}

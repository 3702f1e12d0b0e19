package io.batchwise.providers.openai.internal;

import io.batchwise.spi.CallFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON API call to an OpenAI-compatible server, the way every endpoint of this module makes it
 * (the embeddings provider and the chat agent alike): one {@link OkHttpClient} with its own
 * connection pool and daemon threads, no retry of its own (the scheduler is the only place that
 * retries), no redirects (they could carry the key to another host), rate-limit headers recorded
 * from every response, every failure classified into a {@link CallFailedException} by one {@link
 * FailureClassifier}, and the HTTP meters recorded before a call's future completes.
 *
 * <p>Cancelling or timing out the returned future cancels the HTTP call. Whatever is thrown while a
 * call is sent or its answer read, an {@link OutOfMemoryError} included, completes the future at
 * once (OkHttp would only rethrow it on its own thread, and the caller would wait for a timeout).
 * Thread-safe.
 */
final class HttpTransport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /**
   * Idle connections kept per client: enough for the scheduler's concurrency on HTTP/1.1 servers
   * (local servers rarely speak HTTP/2), so that bursts reuse connections instead of reconnecting.
   */
  static final int MAX_IDLE_CONNECTIONS = 64;

  /**
   * How long an idle connection is kept: OpenAI's load balancers close them after a few minutes.
   */
  static final long KEEP_ALIVE_MINUTES = 2;

  /**
   * OkHttp's own limit on calls in flight. The scheduler bounds concurrency; a lower limit here
   * would queue calls invisibly (OkHttp's default is 5 per host).
   */
  static final int MAX_REQUESTS = 1024;

  /** Most bytes of an error body read: enough for any API error, bounded against a runaway body. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  /** Reads a successful (2xx) answer. */
  @FunctionalInterface
  interface BodyReader<T> {
    /**
     * Reads the answer.
     *
     * @param response the response, closed by the caller
     * @return what the call returns
     * @throws IOException when reading the body fails (classified as retryable)
     * @throws InvalidResponseException when the body does not fit the request
     */
    T read(Response response) throws IOException, InvalidResponseException;
  }

  /** Gives an endpoint the first word on a non-2xx answer (the embeddings' base64 fallback). */
  @FunctionalInterface
  interface ErrorHook {
    /**
     * No endpoint-specific handling: every error is classified by the {@link FailureClassifier}.
     */
    ErrorHook NONE = (status, body) -> null;

    /**
     * A failure of the endpoint's own, or null to let the classifier decide.
     *
     * @param status the HTTP status
     * @param body the error body, bounded in size
     * @return the failure, or null
     */
    CallFailedException onError(int status, String body);
  }

  private final String what;
  private final OkHttpClient client;
  private final ExecutorService threads;
  private final FailureClassifier classifier;
  private final HeaderRateLimitState rateLimits;
  private final HttpMeters meters;
  private final String timeouts;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates the client and its threads.
   *
   * @param what how messages name the owner, e.g. {@code the openai provider}
   * @param connection timeouts
   * @param callTimeout the longest one call may take in all
   * @param classifier classifies failures (it names the endpoint)
   * @param rateLimits records every response's {@code x-ratelimit-*} headers
   * @param meters records requests, latency and bytes
   */
  HttpTransport(
      String what,
      ConnectionSettings connection,
      Duration callTimeout,
      FailureClassifier classifier,
      HeaderRateLimitState rateLimits,
      HttpMeters meters) {
    this.what = what;
    this.threads = httpThreads();
    this.client = client(connection, callTimeout, threads, meters);
    this.classifier = classifier;
    this.rateLimits = rateLimits;
    this.meters = meters;
    this.timeouts =
        "connect "
            + connection.connectTimeout.toMillis()
            + " ms, read "
            + connection.readTimeout.toMillis()
            + " ms, call "
            + callTimeout.toMillis()
            + " ms";
  }

  /**
   * @return whether {@link #close()} was called
   */
  boolean isClosed() {
    return closed.get();
  }

  /**
   * Sends one request.
   *
   * @param request the request
   * @param inputs how many inputs (texts, items) it carries, for messages
   * @param onAnswered runs as soon as a successful status arrives, before the body is read, so the
   *     scheduler's slot can start the next call meanwhile
   * @param reader reads a 2xx answer
   * @param onError the endpoint's own reading of an error answer
   * @param <T> what the call returns
   * @return the future answer; it fails with a classified {@link CallFailedException}
   */
  <T> CompletableFuture<T> send(
      Request request, int inputs, Runnable onAnswered, BodyReader<T> reader, ErrorHook onError) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(CallFailedException.permanent(what + " is closed", null));
      return result;
    }
    try {
      Call call = client.newCall(request);
      long start = System.nanoTime();
      call.enqueue(new Handler<>(result, inputs, start, onAnswered, reader, onError));
      // a scheduler timeout or cancellation completes the future first: stop the HTTP call too
      result.whenComplete(
          (answer, failure) -> {
            if (failure != null) {
              call.cancel();
            }
          });
    } catch (Throwable t) {
      result.completeExceptionally(unexpected("could not be sent", inputs, t));
    }
    return result;
  }

  /**
   * A failure nothing else classified (an {@link Error} such as {@link OutOfMemoryError}, or a
   * bug): permanent, so that the call ends now instead of at its timeout, and logged, as it should
   * not happen. Endpoints use it for what fails while they write a request, before {@link #send}.
   *
   * @param how what happened to the call, e.g. {@code could not be written}
   * @param inputs how many inputs the call carries
   * @param t what was thrown
   * @return the failure to complete the call's future with
   */
  CallFailedException unexpected(String how, int inputs, Throwable t) {
    CallFailedException failure = classifier.forUnexpected(how, inputs, t);
    try {
      LOG.error("{}", failure.getMessage(), t);
    } catch (Throwable ignored) {
      // logging may fail as well (out of memory): the future is completed all the same
    }
    return failure;
  }

  /** Completes one call's future from OkHttp's callback. */
  private final class Handler<T> implements Callback {
    private final CompletableFuture<T> result;
    private final int inputs;
    private final long start;
    private final Runnable onAnswered;
    private final BodyReader<T> reader;
    private final ErrorHook onError;

    Handler(
        CompletableFuture<T> result,
        int inputs,
        long start,
        Runnable onAnswered,
        BodyReader<T> reader,
        ErrorHook onError) {
      this.result = result;
      this.inputs = inputs;
      this.start = start;
      this.onAnswered = onAnswered;
      this.reader = reader;
      this.onError = onError;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      try {
        meters.record(HttpMeters.OUTCOME_IO_ERROR, System.nanoTime() - start);
        if (result.isDone()) {
          return; // cancelled by the caller; nobody waits for this failure
        }
        CallFailedException failure =
            closed.get()
                ? CallFailedException.permanent(
                    what + " was closed while a call with " + inputs + " inputs was in flight", e)
                : classifier.forIo(e, inputs, timeouts);
        LOG.debug("{}", failure.getMessage());
        result.completeExceptionally(failure);
      } catch (Throwable t) {
        result.completeExceptionally(unexpected("failed", inputs, t));
      }
    }

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
      T answer = null;
      CallFailedException failure = null;
      try (response) {
        rateLimits.record(response.headers());
        if (!response.isSuccessful()) {
          failure = failure(response);
        } else {
          onAnswered.run(); // the service is done with this request; reading its answer is ours
          answer = reader.read(response);
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
        LOG.debug(
            "{} with {} inputs: HTTP {} in {} ms",
            response.request().url().encodedPath(),
            inputs,
            status,
            nanos / 1_000_000);
        result.complete(answer);
      }
    }

    private CallFailedException failure(Response response) throws IOException {
      String body;
      try (InputStream in = response.body().byteStream()) {
        body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
      }
      int status = response.code();
      CallFailedException own = onError.onError(status, body);
      return own != null ? own : classifier.forStatus(status, response.headers(), body, inputs);
    }
  }

  /** Cancels calls in flight, then releases the connection pool and HTTP threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    client.dispatcher().cancelAll();
    threads.shutdown();
    client.connectionPool().evictAll();
  }

  private static OkHttpClient client(
      ConnectionSettings s, Duration callTimeout, ExecutorService threads, HttpMeters meters) {
    Dispatcher dispatcher = new Dispatcher(threads);
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(
            new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE_MINUTES, TimeUnit.MINUTES))
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)) // HTTP/2 where TLS offers it
        .connectTimeout(s.connectTimeout)
        .readTimeout(s.readTimeout)
        .writeTimeout(s.readTimeout)
        .callTimeout(callTimeout)
        // the scheduler is the only place that retries; OkHttp's silent retry would multiply them
        .retryOnConnectionFailure(false)
        // a redirect could carry the api-key header to another host: report it instead
        .followRedirects(false)
        .followSslRedirects(false)
        .eventListener(meters)
        .build();
  }

  /** Daemon threads, so that an unclosed provider never keeps the JVM alive. */
  private static ExecutorService httpThreads() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "batchwise-openai-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
  }
}

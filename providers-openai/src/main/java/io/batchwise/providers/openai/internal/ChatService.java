package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.Tokenizer;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat endpoint of an OpenAI-compatible server as the mapper uses it: sends one request of
 * items and reads its reply, through the {@link HttpTransport} the embeddings provider uses too (so
 * failures are classified, retried, rate-limited and metered the same way). It remembers, for every
 * run, which reply format the server accepts (a server that rejects {@code json_schema} is asked
 * for {@code json_object} from then on, and then for text), and corrects the tokens-per-minute
 * reservations by what the server reports it used. Thread-safe.
 */
final class ChatService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

  /** Bytes a reply may take beyond its answer tokens' worth: the envelope, usage and ids. */
  static final long REPLY_BYTES_BASE = 1 << 20;

  /** Bytes one answer token may take at most in a reply: a token of escaped non-ASCII text. */
  static final long REPLY_BYTES_PER_TOKEN = 64;

  private static final Pattern CONTEXT_WINDOW =
      Pattern.compile(
          "context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long",
          Pattern.CASE_INSENSITIVE);

  final ChatSettings settings;
  final Tokenizer tokenizer;
  final ObjectMapper json;
  final ReplyParser parser;
  final HttpMeters meters;
  private final HttpTransport transport;
  private final Endpoint endpoint;
  private final ChatRequestWriter writer;
  private final FailureClassifier classifier;
  private final HeaderRateLimitState rateLimits;
  private final AtomicReference<ChatOptions.Format> format;

  /**
   * Tokens the server used beyond what calls reserved (negative: fewer), to add to the next
   * reservation.
   */
  private final AtomicLong tokenDebt = new AtomicLong();

  ChatService(
      ChatSettings settings,
      Tokenizer tokenizer,
      ObjectMapper json,
      HttpTransport transport,
      Endpoint endpoint,
      FailureClassifier classifier,
      HeaderRateLimitState rateLimits,
      HttpMeters meters) {
    this.settings = settings;
    this.tokenizer = tokenizer;
    this.json = json;
    this.parser = new ReplyParser(json);
    this.transport = transport;
    this.endpoint = endpoint;
    this.writer = new ChatRequestWriter(json, settings);
    this.classifier = classifier;
    this.rateLimits = rateLimits;
    this.meters = meters;
    this.format = new AtomicReference<>(settings.format);
  }

  /**
   * Raised (as a cause) when the server refused a request as longer than the model's context
   * window.
   */
  static final class ContextWindowExceeded extends Exception {
    private static final long serialVersionUID = 1L;

    ContextWindowExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Sends one request.
   *
   * @param prompt the run's prompt
   * @param schema the run's answer schema
   * @param items the request's items
   * @param onAnswered runs when the server's status arrives
   * @return the reply; fails with a classified {@link CallFailedException}, whose cause is a {@link
   *     ContextWindowExceeded} when the server refused the request as too long
   */
  CompletableFuture<ChatReply> send(
      ChatPrompt prompt, AnswerSchema schema, List<ChatItem> items, Runnable onAnswered) {
    ChatOptions.Format asked = format.get();
    Request request;
    try {
      byte[] body = writer.write(prompt, schema, items, asked);
      request = endpoint.newRequest(body, body.length);
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(
          transport.unexpected("could not be written", items.size(), t));
    }
    long limit = REPLY_BYTES_BASE + REPLY_BYTES_PER_TOKEN * prompt.maxReplyTokens(items);
    return transport.send(
        request,
        items.size(),
        onAnswered,
        response -> {
          try (InputStream body = new LimitedInputStream(response.body().byteStream(), limit)) {
            return ChatReply.read(json, body, settings.api);
          } catch (LimitedInputStream.LimitExceededException e) {
            throw new InvalidResponseException(
                "the reply is longer than "
                    + e.limit()
                    + " bytes, more than its"
                    + " max_tokens allow",
                false,
                null);
          }
        },
        (status, body) -> onError(status, body, asked, items.size()));
  }

  private CallFailedException onError(
      int status, String body, ChatOptions.Format asked, int items) {
    if (status != 400 && status != 413 && status != 422) {
      return null;
    }
    ApiError error = ApiError.parse(json, body);
    String all =
        (error.message() + " " + error.param() + " " + error.code()).toLowerCase(Locale.ROOT);
    if ("context_length_exceeded".equals(error.code()) || CONTEXT_WINDOW.matcher(all).find()) {
      String m =
          endpoint
              + " with "
              + items
              + (items == 1 ? " item" : " items")
              + " failed: HTTP "
              + status
              + ": the server refused the request as longer than the model's context window"
              + (error.message() != null ? " (" + classifierScrub(error.message()) + ")" : "");
      return CallFailedException.permanent(m, new ContextWindowExceeded(m));
    }
    boolean aboutFormat =
        all.contains("response_format")
            || all.contains("json_schema")
            || all.contains("text.format")
            || all.contains("json_object");
    ChatOptions.Format weaker = asked.weaker();
    if (aboutFormat && weaker != null) {
      if (format.compareAndSet(asked, weaker)) {
        LOG.info(
            "{} rejected the reply format {} (HTTP {}); asking for {} from now on",
            endpoint,
            asked.name().toLowerCase(Locale.ROOT),
            status,
            weaker.name().toLowerCase(Locale.ROOT));
      }
      return CallFailedException.retryable(
          endpoint
              + " rejected the reply format "
              + asked.name().toLowerCase(Locale.ROOT)
              + " (HTTP "
              + status
              + "); later calls ask for "
              + weaker.name().toLowerCase(Locale.ROOT)
              + ", so this call may be retried",
          null,
          Duration.ZERO);
    }
    return null;
  }

  private String classifierScrub(String text) {
    return classifier.scrub(text);
  }

  /**
   * @return the reply format asked for now
   */
  ChatOptions.Format format() {
    return format.get();
  }

  /**
   * The pacer of one run's jobs: it reserves, for each request, the request's tokens the scheduler
   * counted (its items, their predicted answers) plus the run's fixed tokens, plus what earlier
   * requests used beyond their reservations.
   *
   * @param limits the mapper's shared limits
   * @param fixedTokens the run's tokens per request besides its items
   * @return the pacer
   */
  CallPacer pacer(CallPacer limits, int fixedTokens) {
    return new CallPacer() {
      @Override
      public Duration reserve(long tokens) {
        long debt = tokenDebt.getAndSet(0);
        return limits.reserve(Math.max(0, tokens + fixedTokens + debt));
      }

      @Override
      public int requestsPerMinute() {
        return limits.requestsPerMinute();
      }

      @Override
      public long tokensPerMinute() {
        return limits.tokensPerMinute();
      }
    };
  }

  /**
   * Records what a request used against what it reserved, for the next reservation.
   *
   * @param reserved tokens reserved for it
   * @param reply the reply
   */
  void used(long reserved, ChatReply reply) {
    if (reply.promptTokens() >= 0) {
      meters.promptTokens(reply.promptTokens());
    }
    if (reply.completionTokens() >= 0) {
      meters.completionTokens(reply.completionTokens());
    }
    if (reply.promptTokens() >= 0 && reply.completionTokens() >= 0) {
      tokenDebt.addAndGet(reply.promptTokens() + reply.completionTokens() - reserved);
    }
  }

  /**
   * @return what the server's {@code x-ratelimit-*} headers said, for the mapper's pacer
   */
  HeaderRateLimitState rateLimits() {
    return rateLimits;
  }

  /**
   * @return where the requests go, for messages
   */
  Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    transport.close();
  }
}

package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API key never reaches logs (at DEBUG, OkHttp's included), exception messages and causes, or
 * any {@code toString()}, even when the server echoes it back.
 */
class SecretsTest {
  /** A distinctive part of the key: finding it anywhere means a leak, masked or not. */
  private static final String KEY_PART = "SECRETKEY0123";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Level> levels = new ArrayList<>();
  private MockWebServer server;

  @BeforeEach
  void captureLogs() throws Exception {
    logs.start();
    for (String name :
        new String[] {Logger.ROOT_LOGGER_NAME, "io.batchwise", "okhttp3", "mockwebserver3"}) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      loggers.add(logger);
      levels.add(logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    loggers.get(0).addAppender(logs);
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void restore() {
    loggers.get(0).detachAppender(logs);
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).setLevel(levels.get(i));
    }
    server.close();
  }

  private static List<String> texts(Throwable t) {
    List<String> all = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.add(String.valueOf(c.getMessage()));
      all.add(c.toString());
      for (Throwable s : c.getSuppressed()) {
        all.addAll(texts(s));
      }
    }
    return all;
  }

  private static void collect(IThrowableProxy p, List<String> into) {
    for (; p != null; p = p.getCause()) {
      into.add(p.getClassName() + ": " + p.getMessage());
    }
  }

  private static MockResponse error(int status, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("x-request-id", "req_1")
        .body(
            "{\"error\":{\"message\":\""
                + message
                + "\",\"type\":\"invalid_request_error\","
                + "\"param\":\""
                + TestProviders.KEY
                + "\",\"code\":\"invalid_api_key\"}}")
        .build();
  }

  @Test
  @DisplayName("keeps the key out of logs, exceptions and toString through successes and failures")
  void keyNeverLeaks() throws Exception {
    String echo =
        "Incorrect API key provided: "
            + TestProviders.KEY
            + ". You can find your API key at"
            + " https://platform.openai.com/account/api-keys.";
    StringBuilder ok = new StringBuilder("{\"data\":[");
    for (int i = 0; i < 2; i++) {
      ok.append(i == 0 ? "" : ",")
          .append("{\"index\":")
          .append(i)
          .append(",\"embedding\":\"")
          .append(FakeOpenAiServer.base64(new float[8]))
          .append("\"}");
    }
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(ok + "],\"usage\":{\"prompt_tokens\":2}}")
            .build());
    server.enqueue(error(401, echo));
    server.enqueue(error(500, echo));
    server.enqueue(error(400, "'$.input[1]' is invalid: " + TestProviders.KEY));
    server.enqueue(error(429, echo).newBuilder().addHeader("Retry-After", "1").build());
    server.enqueue(
        new MockResponse.Builder().code(200).body(TestProviders.KEY + " is not json").build());
    server.enqueue(
        new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());

    List<String> seen = new ArrayList<>();
    int calls = 7; // every response queued above; then one 401 for the Azure-style provider
    for (Map<String, String> options :
        List.of(
            TestProviders.options(server.url("/v1").toString(), "openai.read-timeout", "300ms"),
            TestProviders.options(
                server.url("/").toString(),
                "openai.azure-deployment",
                "dep",
                "openai.read-timeout",
                "300ms"))) {
      try (RemoteEmbeddingProvider provider = TestProviders.create(options)) {
        seen.add(provider.toString());
        seen.add(provider.rateLimits().toString());
        seen.add(provider.modelInfo().toString());
        seen.add(TestProviders.config(options).toString());
        for (int call = 0; call < calls; call++) {
          CompletableFuture<List<float[]>> f =
              provider.embed(List.of("a", "b"), CallContext.of(InputType.DOCUMENT));
          try {
            f.get(10, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            seen.addAll(texts(e));
          }
        }
      }
      calls = 1;
      server.enqueue(
          new MockResponse.Builder()
              .code(401)
              .body("{\"error\":{\"message\":\"" + echo + "\"}}")
              .build());
    }
    assertThat(server.getRequestCount()).isEqualTo(8);

    assertThatThrownBy(
            () ->
                TestProviders.create(
                    Map.of(
                        "openai.base-url",
                        "http://remote.example/v1",
                        "openai.api-key",
                        TestProviders.KEY)))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> seen.addAll(texts(e)));

    List<String> logged = new ArrayList<>();
    for (ILoggingEvent event : logs.list) {
      logged.add(event.getFormattedMessage());
      collect(event.getThrowableProxy(), logged);
    }
    assertThat(seen).isNotEmpty().noneMatch(s -> s.contains(KEY_PART));
    assertThat(logged).noneMatch(s -> s.contains(KEY_PART));
    // the failures were logged at DEBUG, so the check above looked at real messages
    assertThat(logged).anyMatch(s -> s.contains("HTTP 401"));
    assertThat(seen).anyMatch(s -> s.contains("Incorrect API key provided: ****"));
  }
}

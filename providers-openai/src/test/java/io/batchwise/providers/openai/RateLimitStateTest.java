package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.InputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rate limits the provider learns from {@code x-ratelimit-*} headers and combines with its
 * options.
 */
class RateLimitStateTest {
  private MockWebServer server;
  private final FakeOpenAiServer fake = new FakeOpenAiServer();
  private volatile String[] headers = new String[0];

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            MockResponse.Builder b = fake.dispatch(request).newBuilder();
            for (int i = 0; i < headers.length; i += 2) {
              b.addHeader(headers[i], headers[i + 1]);
            }
            return b.build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void respondWith(String... nameValues) {
    this.headers = nameValues;
  }

  @Test
  @DisplayName("knows nothing before the first response, and only the configured limits then")
  void configuredOnly() {
    try (RemoteEmbeddingProvider p =
        TestProviders.create(
            TestProviders.options(
                server.url("/v1").toString(),
                "openai.requests-per-minute",
                "500",
                "openai.tokens-per-minute",
                "1000000"))) {
      RateLimitState s = p.rateLimits();
      assertThat(s.latest()).isEmpty();
      assertThat(s.configuredRequestsPerMinute()).isEqualTo(500);
      assertThat(s.configuredTokensPerMinute()).isEqualTo(1_000_000);
      assertThat(s.effectiveRequestsPerMinute()).isEqualTo(500);
      assertThat(s.effectiveTokensPerMinute()).isEqualTo(1_000_000);
      assertThat(s.reserve(1000)).isZero();
    }
  }

  @Test
  @DisplayName(
      "reads x-ratelimit-* headers and runs at the lower of configured and reported limits")
  void learnsFromHeaders() throws Exception {
    respondWith(
        "x-ratelimit-limit-requests", "3000",
        "x-ratelimit-remaining-requests", "2999",
        "x-ratelimit-reset-requests", "20ms",
        "x-ratelimit-limit-tokens", "1000000",
        "x-ratelimit-remaining-tokens", "999990",
        "x-ratelimit-reset-tokens", "6m0s");
    try (RemoteEmbeddingProvider p =
        TestProviders.create(
            TestProviders.options(
                server.url("/v1").toString(),
                "openai.requests-per-minute",
                "5000",
                "openai.tokens-per-minute",
                "400000"))) {
      List<RateLimitSnapshot> heard = new CopyOnWriteArrayList<>();
      p.rateLimits().addListener(heard::add);
      p.embed(List.of("hello"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);

      RateLimitSnapshot s = p.rateLimits().latest().orElseThrow();
      assertThat(s.requestLimit()).isEqualTo(3000);
      assertThat(s.requestsRemaining()).isEqualTo(2999);
      assertThat(s.requestsReset()).isEqualTo(Duration.ofMillis(20));
      assertThat(s.tokenLimit()).isEqualTo(1_000_000);
      assertThat(s.tokensRemaining()).isEqualTo(999_990);
      assertThat(s.tokensReset()).isEqualTo(Duration.ofMinutes(6));
      assertThat(heard).containsExactly(s);
      assertThat(p.rateLimits().effectiveRequestsPerMinute())
          .as("server's 3000 < configured 5000")
          .isEqualTo(3000);
      assertThat(p.rateLimits().effectiveTokensPerMinute())
          .as("configured 400k < server's 1M")
          .isEqualTo(400_000);
      assertThat(p.rateLimits().reserve(1000)).isZero();
      assertThat(p.rateLimits().reserve(1_000_000))
          .as(
              "more tokens than remain, but a reset of 6 min is past the 60 s clamp: no hold, the backoff applies")
          .isZero();
    }
  }

  @Test
  @DisplayName("says to wait for the request window when no request remains")
  void waitsWhenNoRequestRemains() throws Exception {
    respondWith("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "45s");
    try (RemoteEmbeddingProvider p =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      long sent = System.nanoTime();
      p.embed(List.of("hello"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
      Duration delay = p.rateLimits().reserve(1);
      // the window resets 45 s after the answer came: what is left is 45 s less at most the time
      // since
      Duration since = Duration.ofNanos(System.nanoTime() - sent);
      assertThat(delay)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(45).minus(since))
          .isLessThanOrEqualTo(Duration.ofSeconds(45));
      assertThat(p.rateLimits().effectiveRequestsPerMinute())
          .as("no limit reported or configured")
          .isZero();
    }
  }

  @Test
  @DisplayName(
      "keeps the last snapshot when a response has no rate-limit headers, and survives a throwing listener")
  void ignoresResponsesWithoutHeaders() throws Exception {
    respondWith("x-ratelimit-limit-requests", "60");
    try (RemoteEmbeddingProvider p =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      p.rateLimits()
          .addListener(
              s -> {
                throw new IllegalStateException("listener bug");
              });
      p.embed(List.of("hello"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
      respondWith();
      p.embed(List.of("again"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
      assertThat(p.rateLimits().latest())
          .get()
          .extracting(RateLimitSnapshot::requestLimit)
          .isEqualTo(60L);
      assertThat(p.rateLimits().effectiveRequestsPerMinute()).isEqualTo(60);
    }
  }

  @Test
  @DisplayName("stops calling a listener once its handle is closed")
  void listenerHandleRemoves() throws Exception {
    respondWith("x-ratelimit-limit-requests", "60");
    try (RemoteEmbeddingProvider p =
        TestProviders.create(TestProviders.options(server.url("/v1").toString()))) {
      List<RateLimitSnapshot> heard = new CopyOnWriteArrayList<>();
      AutoCloseable handle = p.rateLimits().addListener(heard::add);
      p.embed(List.of("one"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
      handle.close();
      p.embed(List.of("two"), CallContext.of(InputType.DOCUMENT)).get(10, TimeUnit.SECONDS);
      assertThat(heard).hasSize(1);
    }
  }

  @Test
  @DisplayName("exposes the call timeout the scheduler's batch timeout must exceed")
  void exposesCallTimeout() {
    try (RemoteEmbeddingProvider p =
        TestProviders.create(
            TestProviders.options(server.url("/v1").toString(), "openai.call-timeout", "25s"))) {
      assertThat(p.callTimeout()).isEqualTo(Duration.ofSeconds(25));
    }
  }
}

package io.batchwise.cache.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The redis pacer against a real Redis server: reservations of several pacers draw on one budget,
 * the stricter of configured and reported limits holds, and without Redis a pacer keeps to its
 * share. The waits are what the pacer computes, not slept, so no test depends on how fast the
 * machine is beyond reservations taking well under a second.
 */
class RedisPacerTest {
  private static TestRedis redis;
  private final List<RedisPacer> pacers = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong();
  private ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp() {
    if (!redis.isActive()) {
      redis.restart();
    }
    redis.flushAll();
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(RedisPacer.class)).addAppender(log);
  }

  @AfterEach
  void tearDown() {
    pacers.forEach(RedisPacer::close);
    ((Logger) LoggerFactory.getLogger(RedisPacer.class)).detachAppender(log);
  }

  private RedisPacer pacer(
      String uri, String name, int rpm, long tpm, CallPacer reported, int workers) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(Duration.ofMillis(500));
    RedisSettings settings = new RedisSettings(redisUri, "bw:", Duration.ofMillis(500), null);
    RedisPacer pacer =
        new RedisPacer(
            new CallBudget("test:model", rpm, tpm, reported),
            settings,
            name,
            workers,
            Duration.ofSeconds(5),
            clock::get);
    pacers.add(pacer);
    return pacer;
  }

  private RedisPacer pacer(String name, int rpm, long tpm) {
    return pacer(redis.uri(), name, rpm, tpm, CallPacer.NONE, 1);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  @Test
  @DisplayName(
      "two pacers with one name share one budget: 40 requests at 600 a minute take 4 s between them")
  void pacersShareOneBudget() {
    RedisPacer a = pacer("shared", 600, 0);
    RedisPacer b = pacer("shared", 600, 0);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 40; i++) {
      last = (i % 2 == 0 ? a : b).reserve(1);
    }
    // the buckets start empty and refill 10 a second: the 40th start is 4 s away, less the time the
    // loop took; two budgets of their own would have put it 2 s away
    assertThat(seconds(last)).isBetween(3.0, 4.1);
    assertThat(a.shared()).isTrue();
    redis.withConnection(
        c ->
            assertThat(c.sync().keys("bw:pacer:shared:*"))
                .containsExactly("bw:pacer:shared:requests"));
  }

  @Test
  @DisplayName("pacers with different names do not share")
  void namesSeparateBudgets() {
    RedisPacer a = pacer("one", 600, 0);
    RedisPacer b = pacer("two", 600, 0);
    Duration lastA = Duration.ZERO;
    Duration lastB = Duration.ZERO;
    for (int i = 0; i < 20; i++) {
      lastA = a.reserve(1);
      lastB = b.reserve(1);
    }
    assertThat(seconds(lastA)).isBetween(1.0, 2.1);
    assertThat(seconds(lastB)).isBetween(1.0, 2.1);
  }

  @Test
  @DisplayName(
      "a call's tokens count against tokens-per-minute, a large call in parts, and the next call waits behind it")
  void tokensPerMinute() {
    RedisPacer a = pacer("tokens", 0, 6_000);
    RedisPacer b = pacer("tokens", 0, 6_000);
    // 100 tokens a second, one second's worth at most in a bucket: 1,000 tokens are 10 s of budget
    assertThat(seconds(a.reserve(1_000))).isBetween(9.0, 10.1);
    assertThat(seconds(b.reserve(100))).isBetween(10.0, 11.1);
    assertThat(seconds(b.reserve(0))).as("a call of no tokens waits for nothing").isZero();
  }

  /**
   * What a provider reports: its service allows 60 requests a minute, and nothing more for {@code
   * wait}.
   */
  private static CallPacer service(Duration wait) {
    return new CallPacer() {
      @Override
      public Duration reserve(long tokens) {
        return wait;
      }

      @Override
      public int requestsPerMinute() {
        return 60;
      }
    };
  }

  @Test
  @DisplayName("the service's stricter limit and its wait win over the configured budget")
  void reportedLimitsWin() {
    RedisPacer a = pacer(redis.uri(), "reported", 6_000, 0, service(Duration.ofSeconds(30)), 1);
    assertThat(a.requestsPerMinute()).isEqualTo(60);
    assertThat(seconds(a.reserve(1)))
        .as("the service said nothing remains for 30 s")
        .isEqualTo(30.0);
    // the bucket holds 60 a minute, not 6,000: after a's request, b's 10th is 11 s away
    RedisPacer b = pacer(redis.uri(), "reported", 6_000, 0, service(Duration.ZERO), 1);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 10; i++) {
      last = b.reserve(1);
    }
    assertThat(seconds(last))
        .as("the shared bucket runs at the stricter rate")
        .isBetween(10.0, 11.1);
  }

  @Test
  @DisplayName(
      "a connection is closed once, whether Redis went away or the pacer closed: Lettuce never warns"
          + " that it is already closed")
  void closesEachConnectionOnce() {
    Logger lettuce = (Logger) LoggerFactory.getLogger("io.lettuce.core");
    ListAppender<ILoggingEvent> lettuceLog = new ListAppender<>();
    lettuceLog.start();
    lettuce.addAppender(lettuceLog);
    try {
      RedisPacer a = pacer(redis.uri(), "closing", 600, 0, CallPacer.NONE, 2);
      a.reserve(1);
      redis.stop();
      a.reserve(1);
      assertThat(a.shared()).isFalse();
      redis.restart();
      clock.addAndGet(Duration.ofSeconds(5).toNanos());
      a.reserve(1);
      assertThat(a.shared()).as("back on Redis, on a new connection").isTrue();
      a.close();
      assertThat(lettuceLog.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains("already closed"));
    } finally {
      lettuce.detachAppender(lettuceLog);
    }
  }

  @Test
  @DisplayName(
      "without Redis a pacer keeps to its share, says so once, never fails, and goes back to Redis when it can")
  void fallsBackToItsShare() {
    RedisPacer a = pacer(redis.uri(), "outage", 600, 0, CallPacer.NONE, 4);
    a.reserve(1);
    assertThat(a.shared()).isTrue();
    redis.stop();
    // its share is 150 a minute, 2.5 a second: 10 more requests are 4 s away, where the whole
    // budget
    // would put them 1 s away
    Duration last = Duration.ZERO;
    long started = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      last = a.reserve(1);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("one Redis timeout at most, then local")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(a.shared()).isFalse();
    assertThat(seconds(last)).isBetween(3.0, 4.1);
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0))
        .contains(
            "cannot reach Redis at redis://127.0.0.1:" + redis.port(),
            "1/4",
            "budget 'outage'",
            "requests-per-minute 600");

    redis.restart();
    a.reserve(1);
    assertThat(a.shared()).as("Redis is not tried again before retry-after").isFalse();
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    a.reserve(1);
    assertThat(a.shared()).as("back on Redis after retry-after").isTrue();
    redis.withConnection(
        c -> assertThat(c.sync().exists("bw:pacer:outage:requests")).isEqualTo(1L));
    assertThat(warnings()).as("said once").hasSize(1);
  }

  @Test
  @DisplayName("a pacer that cannot reach Redis from the start holds its share at once")
  void neverReachable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RedisPacer a = pacer("redis://127.0.0.1:" + closedPort, "nowhere", 120, 0, CallPacer.NONE, 2);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 5; i++) {
      last = a.reserve(1);
    }
    assertThat(a.shared()).isFalse();
    // 60 a minute, one a second, starting empty: the fifth is 5 s away
    assertThat(seconds(last)).isBetween(4.0, 5.1);
    assertThat(warnings()).hasSize(1);
  }

  @Test
  @DisplayName("its description shows the server without the password")
  void noSecretInToString() {
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setAuthentication("hunter2-secret".toCharArray());
    RedisPacer a =
        new RedisPacer(
            new CallBudget("p:m", 60, 0, CallPacer.NONE),
            new RedisSettings(uri, "bw:", Duration.ofMillis(500), null),
            "n",
            1,
            Duration.ofSeconds(5),
            clock::get);
    pacers.add(a);
    assertThat(a.toString()).contains("127.0.0.1").doesNotContain("hunter2");
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}

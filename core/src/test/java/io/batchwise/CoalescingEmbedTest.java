package io.batchwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.config.ConfigurationException;
import io.batchwise.testing.Await;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Concurrent small embeds on one instance share provider calls ({@code coalesce-window}). The
 * window here is a minute, so that a group runs only when it fills a call (16 inputs for the small
 * fake provider), never because the machine was slow: each test's number of calls is exact.
 */
class CoalescingEmbedTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ExecutorService callers = Executors.newFixedThreadPool(64);

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  private static Batchwise batchwise(FakeEmbeddingProvider provider) {
    return Batchwise.builder().provider(provider).option("coalesce-window", "1m").build();
  }

  @Test
  void sixtyFourThreadsEachEmbeddingOneTextMakeFourCallsAndEachGetsItsOwnVector() throws Exception {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    List<Future<EmbedResult>> results = new ArrayList<>();
    try (Batchwise bw = batchwise(provider)) {
      for (int i = 0; i < 64; i++) {
        String text = "caller " + i;
        results.add(callers.submit(() -> bw.embedder().embedAll(List.of(text))));
      }
      for (int i = 0; i < 64; i++) {
        EmbedResult r = results.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.embeddings())
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.index()).isZero();
                  assertThat(e.succeeded()).isTrue();
                });
        assertThat(r.vectors().get(0))
            .containsExactly(FakeEmbeddingProvider.vectorOf("caller " + i, 8));
        assertThat(r.usage().inputs()).isEqualTo(1);
        assertThat(r.usage().tokens()).isEqualTo(2);
        assertThat(r.usage().providerCalls()).isEqualTo(1);
      }
    }
    assertThat(provider.calls).hasSize(4).allSatisfy(call -> assertThat(call).hasSize(16));
    assertThat(provider.calls.stream().flatMap(List::stream).distinct()).hasSize(64);
  }

  @Test
  @DisplayName(
      "close() returns once every coalesced caller has its result, not only once their shared"
          + " embed has ended")
  void closeWaitsForEveryCoalescedCaller() throws Exception {
    // on a scheduler the instance does not own, closing it does not wait for the scheduler's
    // threads, one of which hands the results out
    try (Batchwise owner = Batchwise.builder().build()) {
      closeWithTwoCallersInOneGroup(
          Batchwise.builder()
              .provider(FakeEmbeddingProvider.small())
              .option("coalesce-window", "1m")
              .scheduler(owner.scheduler())
              .build());
    }
  }

  private static void closeWithTwoCallersInOneGroup(Batchwise bw) throws Exception {
    CompletableFuture<EmbedResult> first = bw.embedder().embedAllAsync(List.of("first"));
    CompletableFuture<EmbedResult> second = bw.embedder().embedAllAsync(List.of("second"));
    // the first caller's own follow-up holds, for a while, the thread that hands the group's
    // results out one caller after another
    CountDownLatch never = new CountDownLatch(1);
    first.thenRun(
        () -> {
          try {
            never.await(500, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    bw.close(); // runs the group that waits for its window, then settles
    assertThat(second).as("the second caller's result is out when close() returns").isDone();
    assertThat(second.get().embeddings()).singleElement().satisfies(e -> e.succeeded());
  }

  @Test
  void aBadInputFailsOnlyItsOwnCallerNamingItsOwnIndex() throws Exception {
    // "poison" makes the service reject its whole call for good; "" is invalid before any call
    FakeEmbeddingProvider provider =
        FakeEmbeddingProvider.small().failCallsContaining("poison"::equals);
    List<CompletableFuture<EmbedResult>> results = new ArrayList<>();
    try (Batchwise bw = batchwise(provider)) {
      // 13 + 2 + 1 inputs: one group, one full call
      for (int i = 0; i < 13; i++) {
        results.add(bw.embedder().embedAllAsync(List.of("caller " + i)));
      }
      CompletableFuture<EmbedResult> empty = bw.embedder().embedAllAsync(List.of("fine", ""));
      CompletableFuture<EmbedResult> poisoned = bw.embedder().embedAllAsync(List.of("poison"));
      for (int i = 0; i < 13; i++) {
        EmbedResult r = results.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.allSucceeded()).as("caller %d", i).isTrue();
        assertThat(r.vectors().get(0))
            .containsExactly(FakeEmbeddingProvider.vectorOf("caller " + i, 8));
      }
      EmbedResult e = empty.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(e.embeddings().get(0).succeeded()).isTrue();
      assertThat(e.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.index()).isEqualTo(1);
                assertThat(f.error())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("input 1 is empty");
                assertThat(((InvalidInputException) f.error()).index()).isEqualTo(1);
              });
      EmbedResult p = poisoned.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(p.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.index()).isZero();
                assertThat(f.error())
                    .isInstanceOf(EmbedInputFailedException.class)
                    .hasMessageStartingWith("input 0: ");
              });
    }
    // the shared call, then the callers it carried alone: the poisoned one fails by itself
    assertThat(provider.calls.stream().filter(c -> c.contains("poison"))).hasSize(2);
    assertThat(provider.calls.stream().filter(c -> c.equals(List.of("poison")))).hasSize(1);
  }

  @Test
  void aCallerThatGivesUpBeforeItsGroupRunsIsLeftOutOfTheCall() throws Exception {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (Batchwise bw = batchwise(provider)) {
      CompletableFuture<EmbedResult> cancelled = bw.embedder().embedAllAsync(List.of("cancelled"));
      CompletableFuture<EmbedResult> timedOut =
          bw.embedder().embedAllAsync(List.of("timed out")).orTimeout(1, TimeUnit.MILLISECONDS);
      cancelled.cancel(true);
      Await.until("the second caller's own timeout", WAIT, timedOut::isDone);
      assertThatThrownBy(timedOut::join).hasCauseInstanceOf(TimeoutException.class);
      assertThatThrownBy(cancelled::join).isInstanceOf(CancellationException.class);

      List<CompletableFuture<EmbedResult>> others = new ArrayList<>();
      for (int i = 0;
          i < 14;
          i++) { // with the two given up, the group holds 16 inputs: a full call
        others.add(bw.embedder().embedAllAsync(List.of("other " + i)));
      }
      for (CompletableFuture<EmbedResult> f : others) {
        assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).allSucceeded()).isTrue();
      }
    }
    assertThat(provider.calls)
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call).hasSize(14).doesNotContain("cancelled", "timed out");
            });
  }

  @Test
  void whenEveryCallerOfARunningGroupGivesUpItsCallIsCancelled() {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small().holdEachCall();
    try (Batchwise bw =
        Batchwise.builder()
            .provider(provider)
            .option("coalesce-window", "1m")
            .option("scheduler.close-mode", "cancel")
            .build()) {
      List<CompletableFuture<EmbedResult>> group = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        group.add(bw.embedder().embedAllAsync(List.of("held " + i)));
      }
      Await.until("the group's call", WAIT, () -> !provider.held.isEmpty());
      group.get(0).cancel(true);
      assertThat(provider.held.peek().future().isDone())
          .as("the others still wait for it")
          .isFalse();
      group.forEach(f -> f.cancel(true));
      Await.until(
          "the held call cancelled",
          WAIT,
          () ->
              provider.held.peek().future().isCancelled()
                  || provider.held.peek().context().isCancelled());
    }
  }

  @Test
  void closingDoesNotLeaveACallerWaitingForItsWindow() throws Exception {
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    CompletableFuture<EmbedResult> waiting;
    try (Batchwise bw = batchwise(provider)) {
      waiting = bw.embedder().embedAllAsync(List.of("alone"));
      assertThat(waiting).isNotDone();
    }
    // long before the minute's window: the group ran when closing began, and its input has its
    // vector or fails as any embed caught by the close does
    Embedding e = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).embeddings().get(0);
    if (!e.succeeded()) {
      assertThat(e.error())
          .hasCauseInstanceOf(CancellationException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void aWindowOverAMinuteFailsTheBuildNamingTheOption() {
    assertThatThrownBy(
            () ->
                Batchwise.builder()
                    .provider(FakeEmbeddingProvider.small())
                    .option("coalesce-window", "2m")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("coalesce-window")
        .hasMessageContaining("[0s, 1m]")
        .hasMessageContaining("was 2m");
  }
}

package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source is read only as capacity frees, and results never pile up behind a slow subscriber.
 */
class BackpressureTest extends ManualScheduler {

  @Test
  @DisplayName("reads only the items of batches that can start, and more only as batches finish")
  void readsAsCapacityFrees() {
    CountingSource<String> source = CountingSource.words(1_000_000);
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    scheduler.submit(
        source, agent, JobOptions.<String>builder().maxItems(5).concurrency(3).build());

    assertThat(source.read.get()).isEqualTo(15);
    for (int i = 0; i < 10; i++) {
      agent.call(i).succeed(s -> s);
      assertThat(source.read.get()).isEqualTo(20 + 5L * i);
    }
  }

  @Test
  @DisplayName("a subscriber that stops requesting pauses the job; requesting more resumes it")
  void slowSubscriberPausesTheJob() {
    CountingSource<String> source = CountingSource.words(10_000);
    AtomicBoolean go = new AtomicBoolean();
    ScriptedAgent<String, String> agent =
        new ScriptedAgent<>(b -> go.get() ? CompletableFuture.completedFuture(b.items()) : null);
    Job<String, String> job =
        scheduler.submit(
            source,
            agent,
            JobOptions.<String>builder().maxItems(1).concurrency(1).retainResults(false).build());
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    job.results()
        .subscribe(
            new Flow.Subscriber<ItemResult<String, String>>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(1);
              }

              @Override
              public void onNext(ItemResult<String, String> item) {
                received.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    await(() -> subscription.get() != null);
    go.set(true);
    agent.call(0).succeed(s -> s);

    // the subscriber's buffer holds 256; the job stops starting batches once it lags by more than
    // half
    assertThat(job.completion()).isNotDone();
    assertThat(source.read.get()).isBetween(129L, 131L);
    await(() -> received.get() == 1);
    assertThat(source.read.get()).isBetween(129L, 131L);

    subscription.get().request(Long.MAX_VALUE);
    done.join();
    assertThat(job.completion().join().progress().succeeded()).isEqualTo(10_000);
    assertThat(received.get()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("ten million items stream through a 64 MB heap in a forked JVM")
  void tenMillionItemsInSixtyFourMegabytes(@TempDir Path dir) throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Xshare:off",
                "-cp",
                System.getProperty("java.class.path"),
                BackpressureMain.class.getName(),
                "10000000",
                "8",
                "64")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    boolean finished = p.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    System.out.println("forked JVM: " + output.trim());
    assertThat(finished).as("the forked JVM finished; output:%n%s", output).isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("OK succeeded=10000000 streamed=10000000");
    assertThat(List.of(output.split("\\s+"))).contains("maxHeapMb=" + maxHeapOf(output));
  }

  private static String maxHeapOf(String output) {
    int i = output.indexOf("maxHeapMb=");
    String mb = output.substring(i + "maxHeapMb=".length()).trim().split("\\s+")[0];
    assertThat(Long.parseLong(mb)).isLessThanOrEqualTo(64);
    return mb;
  }
}

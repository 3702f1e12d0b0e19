package io.batchwise.providers.openai.internal;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.providers.openai.BatchJob;
import io.batchwise.providers.openai.BatchJobStatus;
import io.batchwise.providers.openai.BatchJobStatus.State;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.InputType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Batch API job, run on a thread of its own:
 *
 * <ol>
 *   <li>read the job's state (its directory is named by the job's hash): the request files it wrote
 *       before, the ids of their uploads and batches, the outputs downloaded;
 *   <li>collect: run the inputs through an embed pipeline whose provider answers nothing and
 *       records every call the pipeline packs that no batch of the job carries yet — so validation,
 *       dedupe, the cache lookup, the per-input limit and the packing are the synchronous path's
 *       own;
 *   <li>write those calls as {@code /v1/embeddings} request lines into files within the Batch API's
 *       limits (requests and bytes per file, inputs per batch, and the enqueued-token limit: what
 *       does not fit now waits for a later wave), record each in the state, upload it, create its
 *       batch, and record its id — each step saved before the next request;
 *   <li>poll the batches with backoff until one ends; download its output and error files to the
 *       job's directory and index them; go back to 2 for requests to resubmit (an expired batch's)
 *       and later waves;
 *   <li>answer: run the inputs through the pipeline once more, its provider now answering each call
 *       from the downloaded files (each line parsed and checked as the synchronous parser checks an
 *       answer) or failing it with its request's reason; the pipeline stores the vectors in the
 *       cache call by call and gives the result, usage included, as a synchronous embed would;
 *   <li>delete the files on the service and the job's directory, unless asked to keep them.
 * </ol>
 */
final class BatchEmbedJob implements BatchJob {
  private static final Logger LOG = LoggerFactory.getLogger(BatchEmbedJob.class);

  /** The Batch API's most requests in one file. */
  static final int MAX_REQUESTS_PER_FILE = 50_000;

  /** The Batch API's most bytes in one file. */
  static final long MAX_FILE_BYTES = 200L * 1024 * 1024;

  private final String id;
  private final List<String> texts;
  private final InputType inputType;
  private final BatchJobs owner;
  private final Path dir;
  private final Consumer<BatchJobStatus> progress;
  private final CompletableFuture<String> submitted = new CompletableFuture<>();
  private final CompletableFuture<EmbedResult> result = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean cancelled;

  /**
   * Opened by {@link #cancel()}: wakes the poll's wait (an interrupt would stop an HTTP request).
   */
  private final CountDownLatch cancelSignal = new CountDownLatch(1);

  private volatile BatchJobStatus status;

  BatchEmbedJob(
      String id,
      List<String> texts,
      InputType inputType,
      BatchJobs owner,
      Consumer<BatchJobStatus> progress) {
    this.id = id;
    this.texts = texts;
    this.inputType = inputType;
    this.owner = owner;
    this.dir = owner.stateDir().resolve(id);
    this.progress = progress;
    this.status = new BatchJobStatus(id, State.SUBMITTING, 0, 0, 0, 0);
    this.thread = new Thread(this::run, "batchwise-openai-batch-" + id.substring(0, 12));
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the job's thread without cancelling its batches: a later run resumes them. */
  void stop() {
    thread.interrupt();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public BatchJobStatus status() {
    return status;
  }

  @Override
  public CompletableFuture<String> submitted() {
    return submitted;
  }

  @Override
  public CompletableFuture<EmbedResult> result() {
    return result;
  }

  @Override
  public Optional<EmbedResult> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    cancelSignal.countDown(); // wakes a poll's wait; the loop then cancels its batches
  }

  private void publish(
      State state,
      List<BatchJobState.Entry> entries,
      Map<BatchJobState.Entry, BatchApi.Status> seen) {
    long requests = 0;
    long completed = 0;
    long failed = 0;
    int batches = 0;
    for (BatchJobState.Entry e : entries) {
      if (e.batchId != null) {
        batches++;
      }
      BatchApi.Status s = seen.get(e);
      if (s != null) {
        requests += s.total();
        completed += s.completed();
        failed += s.failed();
      }
    }
    status = new BatchJobStatus(id, state, batches, requests, completed, failed);
    try {
      progress.accept(status);
    } catch (RuntimeException e) {
      LOG.warn("a batch job's progress listener threw: {}", e.toString());
    }
  }

  private void run() {
    try {
      EmbedResult r = runJob();
      status =
          new BatchJobStatus(
              id,
              cancelled ? State.CANCELLED : State.DONE,
              status.batches(),
              status.requests(),
              status.completed(),
              status.failed());
      submitted.complete(id);
      result.complete(r);
    } catch (InterruptedException e) {
      CompletionException stopped =
          new CompletionException(
              new CancellationException(
                  "batch job "
                      + id
                      + " was stopped before it finished; submit the same inputs again to resume it"));
      submitted.completeExceptionally(stopped.getCause());
      result.completeExceptionally(stopped.getCause());
    } catch (Throwable t) {
      status =
          new BatchJobStatus(
              id,
              State.FAILED,
              status.batches(),
              status.requests(),
              status.completed(),
              status.failed());
      LOG.debug("batch job {} failed", id, t);
      submitted.completeExceptionally(t);
      result.completeExceptionally(t);
    } finally {
      owner.ended(this);
    }
  }

  private EmbedResult runJob() throws InterruptedException, IOException {
    Files.createDirectories(dir);
    BatchJobState state = BatchJobState.load(dir, id, owner.mapper());
    BatchAnswers answers =
        new BatchAnswers(owner.json(), owner.provider().modelInfo().dimensions());
    String prefix = owner.provider().settings().prefixes.prefix(inputType);
    Map<BatchJobState.Entry, List<String>> lines = new HashMap<>();
    Map<BatchJobState.Entry, BatchApi.Status> seen = new HashMap<>();
    BatchApi api = owner.api();
    for (BatchJobState.Entry e : state.entries()) {
      lines.put(
          e, answers.indexRequests(dir.resolve(e.requests), prefix, "its batch has not ended"));
      if (e.downloaded) {
        // a failed batch's reasons are the service's to give, not the state file's to keep
        List<String> errors =
            "failed".equals(e.status) ? api.retrieve(e.batchId).errors() : List.of();
        indexDownloaded(e, lines.get(e), answers, errors);
      }
    }
    List<List<String>> collected = new ArrayList<>();
    try (Batchwise collector = owner.collector(answers, collected)) {
      loop(state, answers, lines, seen, api, prefix, collector, collected);
    }
    publish(State.STORING, state.entries(), seen);
    EmbedResult r = owner.answer(texts, inputType, answers, cancelled);
    cleanUp(state, api);
    return r;
  }

  /**
   * Submits, polls and downloads until every batch of the job has ended and nothing is left to
   * send.
   */
  private void loop(
      BatchJobState state,
      BatchAnswers answers,
      Map<BatchJobState.Entry, List<String>> lines,
      Map<BatchJobState.Entry, BatchApi.Status> seen,
      BatchApi api,
      String prefix,
      Batchwise collector,
      List<List<String>> collected)
      throws InterruptedException, IOException {
    while (true) {
      if (cancelled) {
        cancelRunning(state, api);
      } else {
        for (BatchJobState.Entry e : state.entries()) {
          if (e.batchId == null && !cancelled) {
            create(e, state, api);
          }
        }
        List<List<String>> calls;
        synchronized (collected) {
          collected.clear();
        }
        collector
            .embedder()
            .embedAll(texts, inputType); // every call fails: only what it packs matters
        synchronized (collected) {
          calls = new ArrayList<>(collected);
        }
        if (!calls.isEmpty() && !cancelled) {
          submitWave(calls, state, answers, lines, api, prefix);
        }
      }
      publish(State.RUNNING, state.entries(), seen);
      submitted.complete(id);
      List<BatchJobState.Entry> running =
          state.entries().stream().filter(e -> e.batchId != null && !e.downloaded).toList();
      if (running.isEmpty()) {
        return;
      }
      for (BatchJobState.Entry done : poll(running, seen, state)) {
        end(done, seen.get(done), lines.get(done), answers, state, api);
      }
    }
  }

  private void submitWave(
      List<List<String>> calls,
      BatchJobState state,
      BatchAnswers answers,
      Map<BatchJobState.Entry, List<String>> lines,
      BatchApi api,
      String prefix)
      throws IOException, InterruptedException {
    long limit = owner.settings().enqueuedTokenLimit;
    long enqueued = 0;
    for (BatchJobState.Entry e : state.entries()) {
      if (!e.downloaded) {
        enqueued += e.tokens;
      }
    }
    int i = 0;
    while (i < calls.size()) {
      int number = state.entries().size();
      String name = "requests-" + number + ".jsonl";
      Path tmp = dir.resolve(name + ".tmp");
      long tokens = 0;
      int requests = 0;
      long bytes = 0;
      long inputs = 0;
      int start = i;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        while (i < calls.size()) {
          List<String> call = calls.get(i);
          byte[] line = requestLine("b" + number + "-" + requests, call);
          if (requests > 0
              && (requests == MAX_REQUESTS_PER_FILE
                  || bytes + line.length > MAX_FILE_BYTES
                  || inputs + call.size() > owner.settings().maxInputsPerBatch)) {
            break;
          }
          long callTokens = limit > 0 ? tokens(call, prefix) : 0;
          if (limit > 0
              && enqueued + tokens + callTokens > limit
              && (enqueued > 0 || requests > 0)) {
            break; // over the enqueued-token limit: the rest goes in a later wave
          }
          out.write(line);
          tokens += callTokens;
          bytes += line.length;
          inputs += call.size();
          requests++;
          i++;
        }
      }
      if (requests == 0) {
        Files.deleteIfExists(tmp);
        break;
      }
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      BatchJobState.Entry e = state.add(name);
      e.tokens = tokens;
      lines.put(e, answers.indexRequests(dir.resolve(name), prefix, "its batch has not ended"));
      create(e, state, api);
      enqueued += tokens;
      if (limit > 0 && enqueued >= limit && i > start) {
        break;
      }
    }
  }

  private long tokens(List<String> call, String prefix) {
    long sum = 0;
    for (String t : call) {
      sum += owner.provider().tokenizer().count(prefix + t);
    }
    return sum;
  }

  private byte[] requestLine(String customId, List<String> call) throws IOException {
    EmbeddingRequestWriter.Body body = owner.provider().requestBody(call, inputType);
    byte[] head =
        ("{\"custom_id\":\""
                + customId
                + "\",\"method\":\"POST\",\"url\":\""
                + BatchApi.EMBEDDINGS_URL
                + "\",\"body\":")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[head.length + body.length() + 2];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(body.bytes(), 0, line, head.length, body.length());
    line[line.length - 2] = '}';
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * Uploads the entry's request file unless it was, then creates its batch; each id saved at once.
   */
  private void create(BatchJobState.Entry e, BatchJobState state, BatchApi api)
      throws InterruptedException {
    if (e.inputFileId == null) {
      e.inputFileId = api.upload(dir.resolve(e.requests));
      state.save();
    }
    BatchApi.Status s = api.create(e.inputFileId);
    e.batchId = s.id();
    e.status = s.status();
    state.save();
    LOG.info("batch job {}: created batch {} from {}", id, e.batchId, e.requests);
  }

  /** Polls until at least one of {@code running} has ended; returns those that have. */
  private List<BatchJobState.Entry> poll(
      List<BatchJobState.Entry> running,
      Map<BatchJobState.Entry, BatchApi.Status> seen,
      BatchJobState state)
      throws InterruptedException {
    Duration wait = owner.settings().pollInterval;
    while (true) {
      boolean changed = false;
      List<BatchJobState.Entry> ended = new ArrayList<>();
      for (BatchJobState.Entry e : running) {
        if (cancelled) {
          cancelRunning(state, owner.api());
        }
        BatchApi.Status s = owner.api().retrieve(e.batchId);
        BatchApi.Status before = seen.put(e, s);
        changed |= before == null || !before.equals(s);
        if (!s.status().equals(e.status)) {
          e.status = s.status();
          state.save();
        }
        if (s.isTerminal()) {
          ended.add(e);
        }
      }
      publish(State.RUNNING, state.entries(), seen);
      if (!ended.isEmpty()) {
        return ended;
      }
      wait =
          changed
              ? owner.settings().pollInterval
              : min(wait.multipliedBy(2), owner.settings().maxPollInterval);
      cancelSignal.await(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void cancelRunning(BatchJobState state, BatchApi api) throws InterruptedException {
    for (BatchJobState.Entry e : state.entries()) {
      if (e.batchId != null
          && !e.downloaded
          && !"cancelling".equals(e.status)
          && !"cancelled".equals(e.status)) {
        BatchApi.Status s = api.cancel(e.batchId);
        e.status = s.status();
        state.save();
      }
    }
  }

  /**
   * A batch has ended: download and index what it answered; end its other lines with the reason.
   */
  private void end(
      BatchJobState.Entry e,
      BatchApi.Status s,
      List<String> lines,
      BatchAnswers answers,
      BatchJobState state,
      BatchApi api)
      throws InterruptedException {
    e.outputFileId = s.outputFileId();
    e.errorFileId = s.errorFileId();
    if (e.outputFileId != null) {
      api.download(e.outputFileId, output(e));
    }
    if (e.errorFileId != null) {
      api.download(e.errorFileId, errors(e));
    }
    e.downloaded = true;
    state.save();
    indexDownloaded(e, lines, answers, s.errors());
  }

  private void indexDownloaded(
      BatchJobState.Entry e, List<String> lines, BatchAnswers answers, List<String> errors) {
    boolean resubmit = owner.settings().resubmitExpired && !cancelled;
    if (e.outputFileId != null) {
      answers.indexOutput(output(e), e.batchId, resubmit);
    }
    if (e.errorFileId != null) {
      answers.indexOutput(errors(e), e.batchId, resubmit);
    }
    switch (e.status) {
      case "failed" ->
          answers.endPending(
              lines,
              "batch "
                  + e.batchId
                  + " failed validation"
                  + (errors.isEmpty()
                      ? ""
                      : ": "
                          + String.join("; ", errors.subList(0, Math.min(5, errors.size())))
                          + (errors.size() > 5 ? "; and " + (errors.size() - 5) + " more" : "")),
              false);
      case "expired" ->
          answers.endPending(
              lines, "batch " + e.batchId + " expired before it ran this request", resubmit);
      case "cancelled" ->
          answers.endPending(
              lines, "batch " + e.batchId + " was cancelled before it ran this request", false);
      default ->
          answers.endPending(
              lines,
              "batch " + e.batchId + " ended " + e.status + " without an answer for this request",
              false);
    }
  }

  private Path output(BatchJobState.Entry e) {
    return dir.resolve(e.requests.replace(".jsonl", ".output.jsonl"));
  }

  private Path errors(BatchJobState.Entry e) {
    return dir.resolve(e.requests.replace(".jsonl", ".errors.jsonl"));
  }

  /** Once the vectors are stored: the service's files and the job's directory go, unless kept. */
  private void cleanUp(BatchJobState state, BatchApi api) throws InterruptedException {
    if (owner.settings().keepFiles) {
      return;
    }
    for (BatchJobState.Entry e : state.entries()) {
      for (String file : new String[] {e.inputFileId, e.outputFileId, e.errorFileId}) {
        if (file != null) {
          try {
            api.delete(file);
          } catch (CallFailedException f) {
            LOG.warn(
                "batch job {}: could not delete file {} from the service: {}",
                id,
                file,
                f.getMessage());
          }
        }
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("could not delete the batch job directory " + dir, ex);
    }
  }

  @Override
  public String toString() {
    return status.toString();
  }
}

package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Batch API job has sent, kept in {@code state.json} in the job's directory (named by the
 * job's hash) so that a rerun resumes instead of paying again: per batch, the name of its local
 * request file and the ids the service gave its files and the batch — only ids, never a URL, a key
 * or a text. Each step is written (to a temporary file, moved into place) before the next request
 * is sent: a request file before its upload, the file id before the batch is created, the batch id
 * before it is polled. Not thread-safe: one job's runner owns it.
 */
final class BatchJobState {
  static final String FILE = "state.json";

  /** One batch of the job, as far as it got. */
  static final class Entry {
    /** The local request file, in the job's directory. */
    final String requests;

    String inputFileId;
    String batchId;
    String status;
    String outputFileId;
    String errorFileId;

    /** Tokens of its requests, for the enqueued-token limit. */
    long tokens;

    /** Its output and error files are on disk beside the request file. */
    boolean downloaded;

    Entry(String requests) {
      this.requests = requests;
    }
  }

  private final Path file;
  private final String jobId;
  private final ObjectMapper mapper;
  private final List<Entry> entries = new ArrayList<>();

  private BatchJobState(Path dir, String jobId, ObjectMapper mapper) {
    this.file = dir.resolve(FILE);
    this.jobId = jobId;
    this.mapper = mapper;
  }

  /**
   * Reads the state of job {@code jobId} in {@code dir}, or starts an empty one.
   *
   * @param dir the job's directory
   * @param jobId the job's hash
   * @param mapper reads and writes JSON
   * @return the state
   * @throws UncheckedIOException when the file cannot be read, or is of another job
   */
  static BatchJobState load(Path dir, String jobId, ObjectMapper mapper) {
    BatchJobState s = new BatchJobState(dir, jobId, mapper);
    if (!Files.exists(s.file)) {
      return s;
    }
    try {
      JsonNode root = mapper.readTree(s.file.toFile());
      if (!jobId.equals(root.path("job").asText())) {
        throw new IOException(
            s.file + " is the state of job " + root.path("job").asText() + ", not " + jobId);
      }
      for (JsonNode b : root.path("batches")) {
        Entry e = new Entry(b.path("requests").asText());
        e.inputFileId = b.path("input_file_id").textValue();
        e.batchId = b.path("batch_id").textValue();
        e.status = b.path("status").textValue();
        e.outputFileId = b.path("output_file_id").textValue();
        e.errorFileId = b.path("error_file_id").textValue();
        e.downloaded = b.path("downloaded").asBoolean(false);
        e.tokens = b.path("tokens").asLong(0);
        s.entries.add(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the batch job state " + s.file, e);
    }
    return s;
  }

  List<Entry> entries() {
    return entries;
  }

  /**
   * Adds a batch whose request file is written, and saves.
   *
   * @param requests the request file's name in the job's directory
   * @return the entry
   */
  Entry add(String requests) {
    Entry e = new Entry(requests);
    entries.add(e);
    save();
    return e;
  }

  /**
   * Writes the state to a temporary file and moves it into place, so a kill never leaves half a
   * file.
   */
  void save() {
    ObjectNode root = mapper.createObjectNode().put("job", jobId);
    ArrayNode batches = root.putArray("batches");
    for (Entry e : entries) {
      batches
          .addObject()
          .put("requests", e.requests)
          .put("input_file_id", e.inputFileId)
          .put("batch_id", e.batchId)
          .put("status", e.status)
          .put("output_file_id", e.outputFileId)
          .put("error_file_id", e.errorFileId)
          .put("tokens", e.tokens)
          .put("downloaded", e.downloaded);
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the batch job state " + file, e);
    }
  }
}

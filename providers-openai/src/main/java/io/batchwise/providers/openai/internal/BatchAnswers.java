package io.batchwise.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Batch API job's files say about each text it sent: which request line (its {@code
 * custom_id}) and position carried it, from the job's own request files; and how that line ended,
 * from the output and error files as downloaded — answered (where its line starts in the output
 * file), failed (the service's reason), to resubmit (its batch expired before running it), or still
 * pending.
 *
 * <p>Files are read as streams of JSON tokens and never held: the index keeps a text's line and
 * position, a line's offset in its output file or its failure's message, so memory does not grow
 * with the size of the output. A line's vectors are parsed from the file when a text of it is asked
 * for, with the synchronous parser's checks ({@link EmbeddingResponseParser#readObject}); the last
 * line parsed is kept, since a call asks for the texts of one line together. Thread-safe.
 */
final class BatchAnswers {
  /** Bytes a batch line may take besides its response body: ids and the envelope. */
  static final long MAX_LINE_ENVELOPE_BYTES = 64 * 1024;

  /** Where a text went: the line and the position in its {@code input}. */
  record Slot(String customId, int position) {}

  /** How a line ended. */
  sealed interface Outcome permits Pending, Answered, Failed, Resubmit {}

  /** Sent, not ended yet (or its batch never said). */
  record Pending(String why) implements Outcome {}

  /** Answered: its line starts at {@code offset} in {@code file}. */
  record Answered(Path file, long offset) implements Outcome {}

  /** Failed for good, with the reason. */
  record Failed(String reason) implements Outcome {}

  /** Not run because its batch expired: to be sent again. */
  record Resubmit(String reason) implements Outcome {}

  private final JsonFactory json;
  private final int dimensions;
  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<String, Integer> lineInputs = new HashMap<>();
  private final Map<String, Outcome> outcomes = new HashMap<>();
  private String parsedLine;
  private List<float[]> parsedVectors;

  /**
   * @param json the parser factory of the provider's dimensions
   * @param dimensions the expected vector length
   */
  BatchAnswers(JsonFactory json, int dimensions) {
    this.json = json;
    this.dimensions = dimensions;
  }

  /**
   * Reads a request file of the job: each text (less {@code prefix}, which the provider added) is
   * marked as sent in its line, pending until an output says otherwise. A text in a later file
   * replaces its slot in an earlier one (an expired request sent again).
   *
   * @param requests the request file
   * @param prefix the input type's prefix written before each text
   * @param why what a pending text waits for, for messages
   * @return the ids of its lines, in order
   */
  synchronized List<String> indexRequests(Path requests, String prefix, String why) {
    List<String> ids = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(requests));
        JsonParser p = json.createParser(in)) {
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String customId = null;
        List<String> input = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("custom_id")) {
            customId = p.getText();
          } else if (field.equals("body")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("input")) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                  String t = p.getText();
                  input.add(t.startsWith(prefix) ? t.substring(prefix.length()) : t);
                }
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        ids.add(customId);
        lineInputs.put(customId, input.size());
        outcomes.put(customId, new Pending(why));
        for (int i = 0; i < input.size(); i++) {
          slots.put(input.get(i), new Slot(customId, i));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the batch request file " + requests, e);
    }
    return ids;
  }

  /**
   * Reads an output or error file of a batch, line by line, never holding a line: an answered
   * line's offset, a failed line's reason.
   *
   * @param file the downloaded file
   * @param batchId the batch, for messages
   * @param resubmitExpired whether a request the batch did not run before it expired is sent again
   *     (else it fails)
   */
  synchronized void indexOutput(Path file, String batchId, boolean resubmitExpired) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        JsonParser p = json.createParser(in)) {
      while (p.nextToken() == JsonToken.START_OBJECT) {
        long offset = p.currentTokenLocation().getByteOffset();
        String customId = null;
        int status = -1;
        String bodyError = null;
        String code = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("custom_id") && value == JsonToken.VALUE_STRING) {
            customId = p.getText();
          } else if (field.equals("response") && value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (f.equals("status_code") && v == JsonToken.VALUE_NUMBER_INT) {
                status = p.getIntValue();
              } else if (f.equals("body") && v == JsonToken.START_OBJECT) {
                bodyError = readBodyError(p);
              } else {
                p.skipChildren();
              }
            }
          } else if (field.equals("error") && value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("code")) {
                code = p.getValueAsString();
              } else if (f.equals("message")) {
                message = EmbeddingResponseParser.quote(p.getValueAsString());
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        if (customId == null || !lineInputs.containsKey(customId)) {
          continue; // not a request of this job: nothing of it is used
        }
        Outcome o;
        if (code != null || message != null) {
          String reason =
              "request "
                  + customId
                  + " of batch "
                  + batchId
                  + " was not run: "
                  + (code != null ? code + ": " : "")
                  + (message != null ? message : "");
          o =
              "batch_expired".equals(code) && resubmitExpired
                  ? new Resubmit(reason)
                  : new Failed(reason);
        } else if (status == 200 && bodyError == null) {
          o = new Answered(file, offset);
        } else {
          o =
              new Failed(
                  "request "
                      + customId
                      + " of batch "
                      + batchId
                      + " failed: HTTP "
                      + status
                      + (bodyError != null ? ": " + bodyError : ""));
        }
        outcomes.put(customId, o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the batch output " + file, e);
    }
  }

  /** The {@code error.message} of a response body (skipping everything else), or null. */
  private static String readBodyError(JsonParser p) throws IOException {
    String error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("error") && v == JsonToken.START_OBJECT) {
        error = "(an error without a message)";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String g = p.currentName();
          p.nextToken();
          if (g.equals("message")) {
            error = EmbeddingResponseParser.quote(p.getValueAsString());
          } else {
            p.skipChildren();
          }
        }
      } else if (f.equals("error") && v == JsonToken.VALUE_STRING) {
        error = EmbeddingResponseParser.quote(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return error;
  }

  /**
   * Ends every still-pending line of {@code lines} with {@code reason}: a batch that failed
   * validation, or was cancelled, or ended without a file naming them.
   *
   * @param lines the batch's line ids
   * @param reason why
   * @param resubmit whether they are to be sent again rather than failed
   */
  synchronized void endPending(List<String> lines, String reason, boolean resubmit) {
    for (String id : lines) {
      if (outcomes.get(id) instanceof Pending) {
        outcomes.put(id, resubmit ? new Resubmit(reason) : new Failed(reason));
      }
    }
  }

  /**
   * @param line a line id
   * @param reason the line's own failure (a validation error naming its line)
   */
  synchronized void fail(String line, String reason) {
    outcomes.put(line, new Failed(reason));
  }

  /**
   * Where a text stands.
   *
   * @param text the text as the provider was given it
   * @return null when the job never sent it, else its line's outcome
   */
  synchronized Outcome outcome(String text) {
    Slot s = slots.get(text);
    return s == null ? null : outcomes.get(s.customId());
  }

  /**
   * The vector of an answered text, parsed from its line with the synchronous parser's checks.
   *
   * @param text the text
   * @return its vector
   * @throws InvalidResponseException when its line does not hold a valid answer for its request
   * @throws IOException when the file cannot be read
   */
  synchronized float[] vector(String text) throws IOException, InvalidResponseException {
    Slot s = slots.get(text);
    Answered a = (Answered) outcomes.get(s.customId());
    if (!s.customId().equals(parsedLine)) {
      parsedVectors = null; // let the last line's vectors go before the next is read
      parsedVectors = readLine(a, lineInputs.get(s.customId()));
      parsedLine = s.customId();
    }
    return parsedVectors.get(s.position());
  }

  private List<float[]> readLine(Answered a, int inputs)
      throws IOException, InvalidResponseException {
    long max = MAX_LINE_ENVELOPE_BYTES + EmbeddingResponseParser.maxBodyBytes(inputs, dimensions);
    try (FileChannel ch = FileChannel.open(a.file(), StandardOpenOption.READ)) {
      ch.position(a.offset());
      try (JsonParser p =
          json.createParser(new LimitedInputStream(Channels.newInputStream(ch), max))) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new InvalidResponseException(
              "a batch output line is not a JSON object", false, null);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("response") && value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (f.equals("body") && v == JsonToken.START_OBJECT) {
                return EmbeddingResponseParser.readObject(p, inputs, dimensions).vectors();
              }
              p.skipChildren();
            }
          } else {
            p.skipChildren();
          }
        }
      } catch (LimitedInputStream.LimitExceededException e) {
        throw new InvalidResponseException(
            "a batch output line is longer than "
                + e.limit()
                + " bytes, the most an answer of "
                + inputs
                + " vectors of "
                + dimensions
                + " dimensions may take",
            false,
            null);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw EmbeddingResponseParser.malformed(e);
      }
    }
    throw new InvalidResponseException("a batch output line has no response body", false, null);
  }
}

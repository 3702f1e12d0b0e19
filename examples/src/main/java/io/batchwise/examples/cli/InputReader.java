package io.batchwise.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the inputs of {@code embed} and {@code index}: a file, every text file of a directory (one
 * text per file), or stdin ({@code -}).
 *
 * <p>Bad input is never silently dropped. A missing file, an unreadable file or directory, a file
 * given directly that is binary (a NUL byte) or not UTF-8, or an invalid JSONL line is an input error
 * naming the file and line. With {@code --skip-invalid} an invalid JSONL line is skipped with one line
 * on stderr instead. In a directory, files that are not text (binary, not UTF-8, empty) are skipped
 * with one line each on stderr, and hidden files and directories (names starting with {@code .}) are
 * not read. Blank lines are not inputs in the {@code lines} and {@code jsonl} formats.
 */
final class InputReader {
  /** Reads a number as the exact value written (no rounding to a double, trailing zeros kept), so an id comes back as the same number. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .build();

  private final InputFormat format;
  private final InputFormat defaultFileFormat;
  private final String textField;
  private final String idField;
  private final boolean skipInvalid;
  private final PrintStream notes;
  private int skipped;

  /**
   * Creates a reader.
   *
   * @param format the format asked for, or null to choose by the file name ({@code .jsonl},
   *     {@code .ndjson}: jsonl) and else {@code defaultFileFormat}
   * @param defaultFileFormat the format of a file or stdin when none is asked for and the name says none
   * @param textField the JSONL field that holds the text
   * @param idField the JSONL field that holds the id (optional in each record)
   * @param skipInvalid whether an invalid JSONL line is skipped (with a note) rather than an error
   * @param notes where skipped inputs are reported, one line each
   */
  InputReader(InputFormat format, InputFormat defaultFileFormat, String textField, String idField,
      boolean skipInvalid, PrintStream notes) {
    this.format = format;
    this.defaultFileFormat = defaultFileFormat;
    this.textField = textField;
    this.idField = idField;
    this.skipInvalid = skipInvalid;
    this.notes = notes;
  }

  /**
   * How many inputs were skipped (invalid lines, files that are not text) by the last read.
   *
   * @return the count
   */
  int skipped() {
    return skipped;
  }

  /**
   * Reads every input.
   *
   * @param in a path, or {@code -} for stdin
   * @param stdin the standard input
   * @return the inputs in order, at least one
   * @throws CliException an input error naming the file (and line)
   */
  List<InputRecord> read(String in, InputStream stdin) {
    skipped = 0;
    List<InputRecord> records;
    if (in.equals("-")) {
      byte[] bytes;
      try {
        bytes = stdin.readAllBytes();
      } catch (IOException e) {
        throw CliException.input("cannot read stdin: " + e.getMessage());
      }
      records = parse("stdin", requireText("stdin", bytes), format != null ? format : defaultFileFormat);
    } else {
      Path path = BatchwiseCli.absolute(in);
      if (Files.isDirectory(path)) {
        records = readDirectory(path);
      } else if (Files.exists(path)) {
        records = parse(path.toString(), requireText(path.toString(), readFile(path)), formatOf(path));
      } else {
        throw CliException.input("input not found: " + path);
      }
    }
    if (records.isEmpty()) {
      throw CliException.input("no inputs in " + (in.equals("-") ? "stdin" : BatchwiseCli.absolute(in))
          + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
    }
    return records;
  }

  private InputFormat formatOf(Path path) {
    if (format != null) {
      return format;
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jsonl") || name.endsWith(".ndjson") ? InputFormat.JSONL : defaultFileFormat;
  }

  private static byte[] readFile(Path path) {
    if (!Files.isReadable(path)) {
      throw CliException.input("cannot read " + path + ": permission denied");
    }
    try {
      return Files.readAllBytes(path);
    } catch (AccessDeniedException e) {
      throw CliException.input("cannot read " + path + ": permission denied");
    } catch (IOException e) {
      throw CliException.input("cannot read " + path + ": " + e.getMessage());
    }
  }

  /** The text of a file given directly: binary or malformed content is an error. */
  private static String requireText(String name, byte[] bytes) {
    String problem = notText(bytes);
    if (problem != null) {
      throw CliException.input(name + " is not a text file: " + problem);
    }
    return decode(bytes);
  }

  /** Why {@code bytes} are not UTF-8 text, or null when they are. */
  private static String notText(byte[] bytes) {
    int nul = Utf8.firstNul(bytes);
    if (nul >= 0) {
      return "it is binary (a NUL byte at offset " + nul + ")";
    }
    int bad = Utf8.firstInvalid(bytes);
    if (bad >= 0) {
      return "invalid UTF-8 at line " + Utf8.lineOf(bytes, bad) + " (byte offset " + bad + ")";
    }
    return null;
  }

  private static String decode(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private List<InputRecord> readDirectory(Path dir) {
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      throw CliException.input("cannot read directory " + dir + ": permission denied");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> !hidden(dir, p)).filter(Files::isRegularFile).sorted().toList();
    } catch (UncheckedIOException e) {
      throw directoryError(dir, e.getCause());
    } catch (IOException e) {
      throw directoryError(dir, e);
    }
    List<InputRecord> records = new ArrayList<>();
    for (Path file : files) {
      String id = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      byte[] bytes = readFile(file);
      String problem = notText(bytes);
      if (problem == null && decode(bytes).isBlank()) {
        problem = "it is empty";
      }
      if (problem != null) {
        skipped++;
        notes.println("batchwise: skipping " + file + ": not a text file: " + problem);
        continue;
      }
      records.add(new InputRecord(id, decode(bytes), file.toString()));
    }
    return records;
  }

  private static CliException directoryError(Path dir, IOException e) {
    if (e instanceof AccessDeniedException a) {
      return CliException.input("cannot read directory " + a.getFile() + ": permission denied");
    }
    if (e instanceof NoSuchFileException n) {
      return CliException.input("input not found: " + n.getFile());
    }
    return CliException.input("cannot read directory " + dir + ": " + e.getMessage());
  }

  private static boolean hidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private List<InputRecord> parse(String name, String content, InputFormat fmt) {
    List<InputRecord> records = new ArrayList<>();
    if (fmt == InputFormat.TEXT) {
      if (!content.isBlank()) {
        records.add(new InputRecord(null, content, name));
      }
      return records;
    }
    String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank()) {
        continue;
      }
      String origin = name + ":" + (i + 1);
      if (fmt == InputFormat.LINES) {
        records.add(new InputRecord(null, line, origin));
        continue;
      }
      try {
        records.add(parseJson(line, origin));
      } catch (CliException e) {
        if (!skipInvalid) {
          throw new CliException(e.exitCode(), e.getMessage() + " (use --skip-invalid to skip invalid lines)");
        }
        skipped++;
        notes.println("batchwise: skipping " + e.getMessage());
      }
    }
    return records;
  }

  private InputRecord parseJson(String line, String origin) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw CliException.input(origin + ": invalid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw CliException.input(origin + ": expected a JSON object");
    }
    JsonNode text = node.get(textField);
    if (text == null || text.isNull()) {
      throw CliException.input(origin + ": no field '" + textField + "' (set --text-field)");
    }
    if (!text.isTextual()) {
      throw CliException.input(origin + ": field '" + textField + "' is not a string");
    }
    JsonNode id = node.get(idField);
    if (id == null || id.isNull()) {
      return new InputRecord(null, text.textValue(), origin);
    }
    if (!id.isTextual() && !id.isNumber()) {
      throw CliException.input(origin + ": field '" + idField + "' must be a string or a number");
    }
    return new InputRecord(id.asText(), id.isNumber(), text.textValue(), origin);
  }
}

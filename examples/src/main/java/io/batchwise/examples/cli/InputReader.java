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
 * text per file), or stdin ({@code -}), one input at a time ({@link #open}), so that memory does
 * not grow with the input.
 *
 * <p>Bad input is never silently dropped. A missing file, an unreadable file or directory, a file
 * given directly that is binary (a NUL byte) or not UTF-8, or an invalid JSONL line is an input
 * error naming the file and line. With {@code --skip-invalid} an invalid JSONL line is skipped with
 * one line on stderr instead. In a directory, files that are not text (binary, not UTF-8, empty)
 * are skipped with one line each on stderr, and hidden files and directories (names starting with
 * {@code .}) are not read. Blank lines are not inputs in the {@code lines} and {@code jsonl}
 * formats.
 */
final class InputReader {
  /**
   * The JSONL parser, in a holder class so that only a JSONL input pays for it: initialising
   * Jackson's {@code ObjectMapper} builds a default date format (locale data, calendar, time zone),
   * a large part of a cached rerun's start-up.
   */
  private static final class Jsonl {
    /**
     * Reads a number as the exact value written (no rounding to a double, trailing zeros kept), so
     * an id comes back as the same number.
     */
    static final ObjectMapper JSON =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();
  }

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
   * @param format the format asked for, or null to choose by the file name ({@code .jsonl}, {@code
   *     .ndjson}: jsonl) and else {@code defaultFileFormat}
   * @param defaultFileFormat the format of a file or stdin when none is asked for and the name says
   *     none
   * @param textField the JSONL field that holds the text
   * @param idField the JSONL field that holds the id (optional in each record)
   * @param skipInvalid whether an invalid JSONL line is skipped (with a note) rather than an error
   * @param notes where skipped inputs are reported, one line each
   */
  InputReader(
      InputFormat format,
      InputFormat defaultFileFormat,
      String textField,
      String idField,
      boolean skipInvalid,
      PrintStream notes) {
    this.format = format;
    this.defaultFileFormat = defaultFileFormat;
    this.textField = textField;
    this.idField = idField;
    this.skipInvalid = skipInvalid;
    this.notes = notes;
  }

  /**
   * How many inputs were skipped (invalid lines, files that are not text) by the last {@link
   * #read}.
   *
   * @return the count
   */
  int skipped() {
    return skipped;
  }

  /**
   * Reads every input into memory, for commands that need them all at once ({@code index}).
   *
   * @param in a path, or {@code -} for stdin
   * @param stdin the standard input
   * @return the inputs in order, at least one
   * @throws CliException an input error naming the file (and line)
   */
  List<InputRecord> read(String in, InputStream stdin) {
    List<InputRecord> records = new ArrayList<>();
    try (InputSource source = open(in, stdin)) {
      source.forEachRemaining(records::add);
      skipped = source.skipped();
    }
    return records;
  }

  /**
   * Opens the inputs to be read one at a time: a file of lines or JSONL, or stdin, is read a line
   * at a time; a directory a file at a time. A file is checked whole first (a binary file or
   * invalid UTF-8 fails before any input is read, and its inputs are counted for progress); stdin,
   * which cannot be read twice, is checked line by line as it is read.
   *
   * @param in a path, or {@code -} for stdin
   * @param stdin the standard input
   * @return the source; close it
   * @throws CliException an input error naming the file when it is missing, unreadable or not text
   */
  InputSource open(String in, InputStream stdin) {
    if (in.equals("-")) {
      InputFormat fmt = format != null ? format : defaultFileFormat;
      if (fmt == InputFormat.TEXT) {
        return whole("stdin", readAll("stdin", stdin));
      }
      return new LineRecords("stdin", stdin, fmt, -1);
    }
    Path path = BatchwiseCli.absolute(in);
    if (Files.isDirectory(path)) {
      return new DirectoryRecords(path);
    }
    if (!Files.exists(path)) {
      throw CliException.input("input not found: " + path);
    }
    InputFormat fmt = formatOf(path);
    if (fmt == InputFormat.TEXT) {
      return whole(path.toString(), readFile(path));
    }
    long expected = checkLines(path);
    return new LineRecords(path.toString(), openFile(path), fmt, expected);
  }

  private InputFormat formatOf(Path path) {
    if (format != null) {
      return format;
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jsonl") || name.endsWith(".ndjson")
        ? InputFormat.JSONL
        : defaultFileFormat;
  }

  private static InputStream openFile(Path path) {
    if (!Files.isReadable(path)) {
      throw CliException.input("cannot read " + path + ": permission denied");
    }
    try {
      return Files.newInputStream(path);
    } catch (AccessDeniedException e) {
      throw CliException.input("cannot read " + path + ": permission denied");
    } catch (IOException e) {
      throw CliException.input("cannot read " + path + ": " + e.getMessage());
    }
  }

  private static byte[] readFile(Path path) {
    return readAll(path.toString(), openFile(path));
  }

  private static byte[] readAll(String name, InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw CliException.input("cannot read " + name + ": " + e.getMessage());
    }
  }

  /**
   * Reads a file of lines once before its inputs are: fails as reading it whole would (a NUL byte
   * anywhere before invalid UTF-8 anywhere), and counts the lines that hold more than spaces.
   *
   * @return the lines that will likely be inputs
   */
  private static long checkLines(Path path) {
    long nonBlank = 0;
    long firstInvalid = -1;
    long invalidLine = 0;
    try (ByteLines lines = new ByteLines(openFile(path))) {
      while (lines.next()) {
        byte[] b = lines.bytes();
        int nul = Utf8.firstNul(b, 0, lines.length());
        if (nul >= 0) {
          throw notText(
              path.toString(), "it is binary (a NUL byte at offset " + (lines.start() + nul) + ")");
        }
        if (firstInvalid < 0) {
          int bad = Utf8.firstInvalid(b, 0, lines.length());
          if (bad >= 0) {
            firstInvalid = lines.start() + bad;
            invalidLine = lines.number();
          }
        }
        if (!asciiBlank(b, lines.length())) {
          nonBlank++;
        }
      }
    } catch (IOException e) {
      throw CliException.input("cannot read " + path + ": " + e.getMessage());
    }
    if (firstInvalid >= 0) {
      throw notText(
          path.toString(),
          "invalid UTF-8 at line " + invalidLine + " (byte offset " + firstInvalid + ")");
    }
    return nonBlank;
  }

  private static boolean asciiBlank(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\f' && b[i] != 0x0b) {
        return false;
      }
    }
    return true;
  }

  private static CliException notText(String name, String problem) {
    return CliException.input(name + " is not a text file: " + problem);
  }

  /** The text of a file given directly: binary or malformed content is an error. */
  private static String requireText(String name, byte[] bytes) {
    String problem = notText(bytes);
    if (problem != null) {
      throw notText(name, problem);
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

  /** A whole file (or stdin) as one input, or none when it is blank. */
  private static InputSource whole(String name, byte[] bytes) {
    String text = requireText(name, bytes);
    return new InputSource(name) {
      private boolean given = text.isBlank();

      @Override
      InputRecord read() {
        if (given) {
          return null;
        }
        given = true;
        return new InputRecord(null, text, name);
      }

      @Override
      long expected() {
        return text.isBlank() ? 0 : 1;
      }

      @Override
      public void close() {}
    };
  }

  /** One input per line that is not blank: the line itself, or a JSONL record's text and id. */
  private final class LineRecords extends InputSource {
    private final String name;
    private final ByteLines lines;
    private final InputFormat fmt;
    private final long expected;

    LineRecords(String name, InputStream in, InputFormat fmt, long expected) {
      super(name);
      this.name = name;
      this.lines = new ByteLines(in);
      this.fmt = fmt;
      this.expected = expected;
    }

    @Override
    InputRecord read() {
      try {
        while (lines.next()) {
          String line = line();
          if (line.isBlank()) {
            continue;
          }
          String origin = name + ":" + lines.number();
          if (fmt == InputFormat.LINES) {
            return new InputRecord(null, line, origin);
          }
          try {
            return parseJson(line, origin);
          } catch (CliException e) {
            if (!skipInvalid) {
              throw new CliException(
                  e.exitCode(), e.getMessage() + " (use --skip-invalid to skip invalid lines)");
            }
            skip();
            notes.println("batchwise: skipping " + e.getMessage());
          }
        }
        return null;
      } catch (IOException e) {
        throw CliException.input("cannot read " + name + ": " + e.getMessage());
      }
    }

    /** The current line as text, checked as a file given whole is (stdin is checked only here). */
    private String line() {
      byte[] b = lines.bytes();
      int length = lines.length();
      int nul = Utf8.firstNul(b, 0, length);
      if (nul >= 0) {
        throw notText(name, "it is binary (a NUL byte at offset " + (lines.start() + nul) + ")");
      }
      int bad = Utf8.firstInvalid(b, 0, length);
      if (bad >= 0) {
        throw notText(
            name,
            "invalid UTF-8 at line "
                + lines.number()
                + " (byte offset "
                + (lines.start() + bad)
                + ")");
      }
      if (length > 0 && b[length - 1] == '\r') {
        length--;
      }
      String line = new String(b, 0, length, StandardCharsets.UTF_8);
      return lines.number() == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    @Override
    long expected() {
      return expected;
    }

    @Override
    public void close() {
      try {
        lines.close();
      } catch (IOException ignored) {
        // reading is over; nothing was lost
      }
    }
  }

  /** One input per text file of a directory, in path order; files that are not text are skipped. */
  private final class DirectoryRecords extends InputSource {
    private final Path dir;
    private final List<Path> files;
    private int next;

    DirectoryRecords(Path dir) {
      super(dir.toString());
      this.dir = dir;
      if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
        throw CliException.input("cannot read directory " + dir + ": permission denied");
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(p -> !hidden(dir, p)).filter(Files::isRegularFile).sorted().toList();
      } catch (UncheckedIOException e) {
        throw directoryError(dir, e.getCause());
      } catch (IOException e) {
        throw directoryError(dir, e);
      }
    }

    @Override
    InputRecord read() {
      while (next < files.size()) {
        Path file = files.get(next++);
        String id =
            dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        byte[] bytes = readFile(file);
        String problem = notText(bytes);
        if (problem == null && decode(bytes).isBlank()) {
          problem = "it is empty";
        }
        if (problem != null) {
          skip();
          notes.println("batchwise: skipping " + file + ": not a text file: " + problem);
          continue;
        }
        return new InputRecord(id, decode(bytes), file.toString());
      }
      return null;
    }

    @Override
    long expected() {
      return files.size();
    }

    @Override
    public void close() {}
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

  private InputRecord parseJson(String line, String origin) {
    JsonNode node;
    try {
      node = Jsonl.JSON.readTree(line);
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

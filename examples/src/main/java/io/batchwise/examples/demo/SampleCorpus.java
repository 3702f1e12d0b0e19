package io.batchwise.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample corpus shipped with the examples: 270 short paragraphs on 18 topics (cooking,
 * astronomy, gardening, finance, health, networking, databases, history, oceans, music, weather,
 * travel, pets, chemistry, software, sports, geology, photography), written for this project and
 * free to reuse. Each topic is one resource file {@code corpus/<topic>.txt} whose paragraphs are
 * separated by blank lines; a paragraph's id is {@code <topic>/<n>}, counting from 1.
 */
public final class SampleCorpus {
  private static final String ROOT = "/corpus/";

  private SampleCorpus() {}

  /**
   * One paragraph of the corpus.
   *
   * @param id {@code <topic>/<n>}
   * @param topic the topic, e.g. {@code cooking}
   * @param number its position in the topic, from 1
   * @param text the paragraph
   */
  public record Paragraph(String id, String topic, int number, String text) {}

  /**
   * The topics, sorted.
   *
   * @return the topic names
   */
  public static List<String> topics() {
    return read("topics.list")
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> l.strip().replaceFirst("\\.txt$", ""))
        .toList();
  }

  /**
   * Every paragraph, topic by topic.
   *
   * @return the paragraphs
   */
  public static List<Paragraph> paragraphs() {
    List<Paragraph> out = new ArrayList<>();
    for (String topic : topics()) {
      String[] parts = read(topic + ".txt").strip().split("\\n\\s*\\n");
      for (int i = 0; i < parts.length; i++) {
        String text = parts[i].strip().replaceAll("\\s*\\n\\s*", " ");
        out.add(new Paragraph(topic + "/" + (i + 1), topic, i + 1, text));
      }
    }
    return out;
  }

  /**
   * Writes the corpus as a folder of text files, one per topic, for the examples that read a
   * folder.
   *
   * @param dir an existing directory
   * @return {@code dir}
   * @throws IOException when a file cannot be written
   */
  public static Path writeTo(Path dir) throws IOException {
    for (String topic : topics()) {
      Files.writeString(dir.resolve(topic + ".txt"), read(topic + ".txt"), StandardCharsets.UTF_8);
    }
    return dir;
  }

  private static String read(String name) {
    try (InputStream in = SampleCorpus.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + ROOT + name + " is missing from the examples jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

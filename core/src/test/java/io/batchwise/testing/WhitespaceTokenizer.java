package io.batchwise.testing;

import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test tokenizer: one token per whitespace-separated word; ids from a growing vocabulary. */
public class WhitespaceTokenizer implements Tokenizer {
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, String> words = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** How many times {@link #count} ran, to observe caching. */
  public final AtomicInteger counts = new AtomicInteger();

  @Override
  public String name() {
    return "whitespace";
  }

  private static String[] split(String text) {
    String t = text.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  @Override
  public int count(String text) {
    counts.incrementAndGet();
    return split(text).length;
  }

  @Override
  public int[] encode(String text) {
    String[] w = split(text);
    int[] out = new int[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] =
          ids.computeIfAbsent(
              w[i],
              k -> {
                int id = next.getAndIncrement();
                words.put(id, k);
                return id;
              });
    }
    return out;
  }

  @Override
  public String decode(int[] tokens) {
    List<String> out = new ArrayList<>();
    for (int t : tokens) {
      out.add(words.get(t));
    }
    return String.join(" ", out);
  }

  @Override
  public String truncate(String text, int maxTokens) {
    String[] w = split(text);
    if (w.length <= maxTokens) {
      return text;
    }
    return String.join(" ", Arrays.copyOf(w, maxTokens));
  }
}

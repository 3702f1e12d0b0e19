package io.batchwise.providers.openai;

import io.batchwise.Batchwise;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link ResumableMapTest}: maps {@link #ITEMS} items, ten to a request, one
 * request at a time, with a SQLite cache, against the parent's chat server, until the parent kills
 * it.
 */
public final class ResumableMapMain {
  static final int ITEMS = 60;
  static final int PER_REQUEST = 10;

  private ResumableMapMain() {}

  static List<String> items() {
    return TestProviders.texts(ITEMS, "resumable");
  }

  static Batchwise open(String baseUrl, Path cache) {
    return MapperTestSupport.batchwise(
        baseUrl,
        "cache",
        "sqlite",
        "cache.path",
        cache.toString(),
        "concurrency",
        "1",
        "openai.chat.items-per-request",
        String.valueOf(PER_REQUEST));
  }

  /**
   * Runs the map.
   *
   * @param args the server's base URL, the SQLite file
   */
  public static void main(String[] args) {
    try (Batchwise bw = open(args[0], Path.of(args[1]))) {
      bw.mapper().mapAll(items(), MapperTestSupport.INSTRUCTION, FakeChatServer.SCHEMA);
    }
  }
}

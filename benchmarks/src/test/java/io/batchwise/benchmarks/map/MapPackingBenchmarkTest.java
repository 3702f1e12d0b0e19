package io.batchwise.benchmarks.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Both contenders of the map benchmark get the server's answers, with the request counts its table
 * reports.
 */
class MapPackingBenchmarkTest {

  @Test
  @DisplayName(
      "one request per item and the default packing both get every answer; packing sends at least 3x fewer requests")
  void contendersAgree() throws Exception {
    MapPackingBenchmark benchmark = new MapPackingBenchmark();
    List<String> items = benchmark.items(90);
    try (LatencyChatServer server = new LatencyChatServer(0);
        Batchwise single = MapPackingBenchmark.open(server, 4, true);
        Batchwise packed = MapPackingBenchmark.open(server, 4, false)) {
      MapPackingBenchmark.Tally singleTally = new MapPackingBenchmark.Tally();
      List<String> singleAnswers = MapPackingBenchmark.round(server, singleTally, single, items);
      assertThat(server.items()).isEqualTo(90);
      MapPackingBenchmark.Tally packedTally = new MapPackingBenchmark.Tally();
      List<String> packedAnswers = MapPackingBenchmark.round(server, packedTally, packed, items);
      assertThat(server.items()).isEqualTo(90);

      assertThat(packedAnswers)
          .isEqualTo(singleAnswers)
          .containsExactlyElementsOf(items.stream().map(LatencyChatServer::answer).toList());
      assertThat(packedAnswers)
          .contains("{\"size\":\"short\"}", "{\"size\":\"medium\"}", "{\"size\":\"long\"}");
      assertThat(singleTally.requests).isEqualTo(90);
      assertThat(singleTally.largestRequest).isEqualTo(1);
      assertThat(packedTally.largestRequest).isGreaterThan(1);
      assertThat(packedTally.requests * MapPackingBenchmark.TARGET_FEWER_REQUESTS)
          .isLessThanOrEqualTo(90);
      assertThat(singleTally.retries + packedTally.retries).isZero();
    }
  }
}

package io.batchwise.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

  @Test
  @DisplayName("toString names every component of the record, so that a new one cannot be left out")
  void toStringNamesEveryComponent() {
    JobOptions<String> options =
        JobOptions.<String>builder()
            .name("embed")
            .maxItems(7)
            .adaptiveBatchSize(Duration.ofMillis(250))
            .sizeHint(42)
            .jobTimeout(Duration.ofMinutes(3))
            .build();
    String shown = options.toString();
    RecordComponent[] components = JobOptions.class.getRecordComponents();
    assertThat(components).hasSizeGreaterThanOrEqualTo(20);
    for (RecordComponent c : components) {
      assertThat(shown).as("toString shows %s", c.getName()).contains(c.getName() + "=");
    }
    assertThat(shown)
        .contains(
            "maxItems=7", "sizeHint=42", "adaptiveBatchSize=PT0.25S", "jobTimeout=Optional[PT3M]");
  }

  @Test
  @DisplayName("every accessor is named after a setter of the builder")
  void accessorsAreNamedAfterSetters() throws Exception {
    for (RecordComponent c : JobOptions.class.getRecordComponents()) {
      if (c.getName().equals("oversizePolicy") || c.getName().equals("splitter")) {
        continue; // set together by failOversize() and splitOversize(splitter)
      }
      assertThat(JobOptions.Builder.class.getMethods())
          .as("a setter for %s", c.getName())
          .anyMatch(m -> m.getName().equals(c.getName()) && m.getParameterCount() == 1);
    }
  }

  @Test
  @DisplayName("a setter refuses a bad value at once, naming it, its value and the limit")
  void settersCheck() {
    JobOptions.Builder<String> b = JobOptions.builder();
    assertThatThrownBy(() -> b.maxItems(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxItems was 0; it must be at least 1");
    assertThatThrownBy(() -> b.batchTimeout(Duration.ZERO))
        .hasMessage("batchTimeout was PT0S; it must be positive");
    assertThatThrownBy(() -> b.tokensPerMinute(-1))
        .hasMessage("tokensPerMinute was -1; it must be at least 0");
    assertThatThrownBy(() -> b.adaptiveBatchSize(Duration.ofSeconds(-1)))
        .hasMessage("adaptiveBatchSize was PT-1S; it must be positive");
    assertThat(b.build()).as("the refused values left the builder as it was").isEqualTo(b.build());
    assertThat(b.build().maxItems()).isEqualTo(JobOptions.DEFAULT_MAX_ITEMS);
  }

  @Test
  @DisplayName(
      "build() checks the rule between values; a record made directly is checked like a built one")
  void buildChecksRulesBetweenValues() {
    assertThatThrownBy(() -> JobOptions.<String>builder().maxTokens(100).contextWindow(50).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("contextWindow was 50; it must be at least maxTokens (100)");
    JobOptions<String> d = JobOptions.defaults();
    assertThatThrownBy(
            () ->
                new JobOptions<String>(
                    d.name(),
                    0,
                    d.maxTokens(),
                    d.contextWindow(),
                    d.tokenCounter(),
                    d.byteWeigher(),
                    d.oversizePolicy(),
                    d.splitter(),
                    d.concurrency(),
                    d.batchTimeout(),
                    d.retryPolicy(),
                    d.tokenBudget(),
                    d.inFlightBytes(),
                    d.requestsPerMinute(),
                    d.tokensPerMinute(),
                    d.adaptiveConcurrency(),
                    d.adaptiveBatchSize(),
                    d.retainResults(),
                    d.sizeHint(),
                    d.pacer(),
                    d.permits(),
                    d.jobTimeout(),
                    d.packing()))
        .hasMessage("maxItems was 0; it must be at least 1");
  }

  @Test
  @DisplayName("toBuilder copies every value, and changing the copy leaves the original as it was")
  void toBuilderCopies() {
    JobOptions<String> original =
        JobOptions.<String>builder()
            .name("a")
            .maxItems(3)
            .concurrency(2)
            .splitOversize(s -> List.of(s))
            .retainResults(false)
            .requestsPerMinute(60)
            .build();
    assertThat(original.toBuilder().build()).isEqualTo(original);
    JobOptions<String> changed = original.toBuilder().maxItems(9).build();
    assertThat(changed.maxItems()).isEqualTo(9);
    assertThat(original.maxItems()).isEqualTo(3);
    assertThat(changed.splitter()).isSameAs(original.splitter());
    assertThat(changed.oversizePolicy()).isEqualTo(OversizePolicy.SPLIT);
  }
}

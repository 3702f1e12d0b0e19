package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SectionDiscoveryTest {

  @Test
  @DisplayName("finds the module's sections in its classes, keyed by area, in report order")
  void discoversTheModulesSections() {
    List<Section> sections = SectionDiscovery.discover();
    assertThat(sections).extracting(Section::key).contains("tokenizer", "jmh");
    assertThat(sections)
        .extracting(Section::className)
        .contains(
            "io.batchwise.benchmarks.tokenizer.TokenizerBenchmark",
            "io.batchwise.benchmarks.jmh.JmhSection")
        .allSatisfy(n -> assertThat(n).doesNotContain("$").doesNotContain("jmh_generated"));
    List<String> keys = sections.stream().map(Section::key).toList();
    assertThat(keys.indexOf("tokenizer")).isLessThan(keys.indexOf("jmh"));
    assertThat(
            sections.stream()
                .filter(s -> s.key().equals("jmh"))
                .findFirst()
                .orElseThrow()
                .fullModeOnly())
        .isTrue();
  }

  @Test
  @DisplayName("areas with several sections key each by area and class; known areas come first")
  void keysAndOrder() {
    List<Section> sections =
        SectionDiscovery.discover(
            List.of(
                "io.batchwise.benchmarks.harness.SectionDiscoveryTest$Zeta",
                "io.batchwise.benchmarks.harness.SectionDiscoveryTest$Alpha",
                "io.batchwise.benchmarks.harness.SectionDiscoveryTest$NotASection",
                "io.batchwise.benchmarks.harness.SectionDiscoveryTest$Abstract",
                "io.batchwise.benchmarks.tokenizer.TokenizerBenchmark"),
            getClass().getClassLoader());
    assertThat(sections)
        .extracting(Section::key)
        .containsExactly("tokenizer", "harness:Alpha", "harness:Zeta");
  }

  @Test
  @DisplayName("a class that cannot be loaded fails discovery, naming it")
  void brokenClass() {
    assertThatThrownBy(
            () ->
                SectionDiscovery.discover(
                    List.of("io.batchwise.benchmarks.Nope"), getClass().getClassLoader()))
        .hasMessageContaining("cannot load benchmark class io.batchwise.benchmarks.Nope");
  }

  @Test
  @DisplayName("--only matches the key or the simple class name, ignoring case")
  void matching() {
    Section s = Section.of("tokenizer", io.batchwise.benchmarks.tokenizer.TokenizerBenchmark.class);
    assertThat(s.matches("TOKENIZER")).isTrue();
    assertThat(s.matches("tokenizerbenchmark")).isTrue();
    assertThat(s.matches("token")).isFalse();
  }

  /** Test sections. */
  public static final class Zeta extends Base {}

  /** Test sections. */
  public static final class Alpha extends Base {}

  /** Not a section. */
  public static final class NotASection {}

  /** Abstract: skipped. */
  public abstract static class Abstract extends Base {}

  /** Common body. */
  public abstract static class Base implements MacroBenchmark {
    @Override
    public String title() {
      return getClass().getSimpleName();
    }

    @Override
    public String run(boolean quick) {
      return "";
    }
  }
}

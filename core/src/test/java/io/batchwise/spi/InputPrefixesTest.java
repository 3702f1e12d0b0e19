package io.batchwise.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link InputPrefixes}: what each input type is given, and which one costs more. */
class InputPrefixesTest {
  @Test
  @DisplayName("none() is true only when neither type has a prefix")
  void none() {
    assertThat(InputPrefixes.NONE.none()).isTrue();
    assertThat(new InputPrefixes("", "").none()).isTrue();
    assertThat(new InputPrefixes("query:", "").none()).isFalse();
    assertThat(new InputPrefixes("", "passage:").none()).isFalse();
  }

  @Test
  @DisplayName(
      "each type gets its own prefix and one joining space; a type without one is untouched")
  void apply() {
    InputPrefixes e5 = new InputPrefixes("query:", "passage:");
    assertThat(e5.apply(InputType.QUERY, "starter")).isEqualTo("query: starter");
    assertThat(e5.apply(InputType.DOCUMENT, "starter")).isEqualTo("passage: starter");

    InputPrefixes queryOnly = new InputPrefixes("search_query:", "");
    String text = "starter";
    assertThat(queryOnly.apply(InputType.DOCUMENT, text)).isSameAs(text);
    assertThat(queryOnly.configured(InputType.QUERY)).isEqualTo("search_query:");
  }

  @Test
  @DisplayName("the costlier type is the one whose prefix counts more tokens, documents on a tie")
  void costlier() {
    InputPrefixes prefixes = new InputPrefixes("search_query:", "doc:");
    assertThat(prefixes.costlier(String::length)).isEqualTo(InputType.QUERY);
    assertThat(prefixes.costlier(p -> 3)).isEqualTo(InputType.DOCUMENT);
  }

  @Test
  @DisplayName("both prefixes are required (empty for none)")
  void nullRefused() {
    assertThatThrownBy(() -> new InputPrefixes(null, ""))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("query");
  }
}

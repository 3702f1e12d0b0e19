package io.batchwise.providers.openai.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which tiktoken encoding a model or encoding name stands for, and the one loaded tokenizer per
 * encoding.
 *
 * <p>JTokkit's registry is created once, lazily, on the first tokenizer asked for (its vocabularies
 * are megabytes each); each encoding inside it is loaded on first use too. Thread-safe.
 */
public final class TiktokenEncodings {

  /** The encodings offered, by their tiktoken names. */
  static final List<EncodingType> ENCODINGS =
      List.of(
          EncodingType.CL100K_BASE,
          EncodingType.O200K_BASE,
          EncodingType.P50K_BASE,
          EncodingType.P50K_EDIT,
          EncodingType.R50K_BASE);

  /**
   * Model name prefixes and their encodings, longest and most specific first (so {@code gpt-4o} is
   * matched before {@code gpt-4}), following tiktoken's {@code model.py}.
   */
  private static final List<Map.Entry<String, EncodingType>> MODEL_PREFIXES =
      List.of(
          Map.entry("text-embedding-3-", EncodingType.CL100K_BASE),
          Map.entry("text-embedding-ada-002", EncodingType.CL100K_BASE),
          Map.entry("gpt-4o", EncodingType.O200K_BASE),
          Map.entry("gpt-4.1", EncodingType.O200K_BASE),
          Map.entry("gpt-4.5", EncodingType.O200K_BASE),
          Map.entry("gpt-5", EncodingType.O200K_BASE),
          Map.entry("chatgpt-4o", EncodingType.O200K_BASE),
          Map.entry("o1", EncodingType.O200K_BASE),
          Map.entry("o3", EncodingType.O200K_BASE),
          Map.entry("o4", EncodingType.O200K_BASE),
          Map.entry("gpt-4", EncodingType.CL100K_BASE),
          Map.entry("gpt-3.5-turbo", EncodingType.CL100K_BASE),
          Map.entry("gpt-35-turbo", EncodingType.CL100K_BASE),
          Map.entry("text-davinci-edit-", EncodingType.P50K_EDIT),
          Map.entry("code-davinci-edit-", EncodingType.P50K_EDIT),
          Map.entry("text-davinci-002", EncodingType.P50K_BASE),
          Map.entry("text-davinci-003", EncodingType.P50K_BASE),
          Map.entry("code-davinci-", EncodingType.P50K_BASE),
          Map.entry("code-cushman-", EncodingType.P50K_BASE),
          Map.entry("text-davinci-001", EncodingType.R50K_BASE),
          Map.entry("text-curie-", EncodingType.R50K_BASE),
          Map.entry("text-babbage-", EncodingType.R50K_BASE),
          Map.entry("text-ada-", EncodingType.R50K_BASE),
          Map.entry("text-similarity-", EncodingType.R50K_BASE),
          Map.entry("text-search-", EncodingType.R50K_BASE),
          Map.entry("code-search-", EncodingType.R50K_BASE));

  /** GPT-3 base models, matched exactly: as prefixes they would catch unrelated names. */
  private static final Map<String, EncodingType> EXACT_MODELS =
      Map.of(
          "davinci", EncodingType.R50K_BASE,
          "curie", EncodingType.R50K_BASE,
          "babbage", EncodingType.R50K_BASE,
          "ada", EncodingType.R50K_BASE);

  /** Model names listed by {@link #names()}: the ones users most often pass. */
  private static final List<String> LISTED_MODELS =
      List.of(
          "text-embedding-3-small",
          "text-embedding-3-large",
          "text-embedding-ada-002",
          "gpt-4o",
          "gpt-4o-mini",
          "gpt-4.1",
          "o1",
          "o3",
          "gpt-4",
          "gpt-3.5-turbo",
          "text-davinci-003");

  private static final Map<EncodingType, JtokkitTokenizer> TOKENIZERS =
      Collections.synchronizedMap(new EnumMap<>(EncodingType.class));

  private TiktokenEncodings() {}

  /** Holds JTokkit's registry: created on first use only (lazy holder idiom). */
  private static final class RegistryHolder {
    static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  }

  /**
   * The encoding a name stands for: an encoding name itself, or a model name (matched by prefix,
   * case-insensitively, with any {@code openai/} or {@code azure/} routing prefix removed).
   *
   * @param name an encoding or model name
   * @return the encoding, or empty when the name is unknown
   */
  public static Optional<EncodingType> encodingFor(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (EncodingType type : ENCODINGS) {
      if (type.getName().equals(n)) {
        return Optional.of(type);
      }
    }
    int slash = n.lastIndexOf('/');
    if (slash >= 0) {
      n = n.substring(slash + 1);
    }
    if (EXACT_MODELS.containsKey(n)) {
      return Optional.of(EXACT_MODELS.get(n));
    }
    for (Map.Entry<String, EncodingType> e : MODEL_PREFIXES) {
      if (n.startsWith(e.getKey())) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * The encoding and model names offered, for listings and error messages.
   *
   * @return encoding names first, then common model names
   */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (EncodingType type : ENCODINGS) {
      names.add(type.getName());
    }
    names.addAll(LISTED_MODELS);
    return List.copyOf(names);
  }

  /**
   * The one tokenizer of an encoding, created on first use. Creating it is cheap; its vocabulary is
   * loaded on its first count.
   *
   * @param type the encoding
   * @return the shared tokenizer
   */
  public static JtokkitTokenizer tokenizer(EncodingType type) {
    return TOKENIZERS.computeIfAbsent(type, JtokkitTokenizer::new);
  }

  /**
   * The one tokenizer for an encoding or model name.
   *
   * @param name an encoding or model name
   * @return the shared tokenizer of its encoding
   * @throws IllegalArgumentException when the name is unknown; the message lists the known names
   */
  public static JtokkitTokenizer tokenizer(String name) {
    return tokenizer(
        encodingFor(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no tiktoken encoding for '"
                            + name
                            + "'; known encodings and models: "
                            + names()
                            + " (any model name starting with a known prefix works)")));
  }

  static EncodingRegistry registry() {
    return RegistryHolder.REGISTRY;
  }
}

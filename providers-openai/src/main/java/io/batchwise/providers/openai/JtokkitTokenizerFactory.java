package io.batchwise.providers.openai;

import io.batchwise.providers.openai.internal.TiktokenEncodings;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.TokenizerFactory;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Tiktoken tokenizers backed by JTokkit, registered as {@code jtokkit}: the encodings {@code
 * cl100k_base}, {@code o200k_base}, {@code p50k_base}, {@code p50k_edit} and {@code r50k_base}, and
 * OpenAI model names mapped to their encoding ({@code text-embedding-3-*} and {@code
 * text-embedding-ada-002} → {@code cl100k_base}; {@code gpt-4o}, {@code o1}, {@code o3} → {@code
 * o200k_base}; {@code gpt-4}, {@code gpt-3.5-turbo} → {@code cl100k_base}; {@code text-davinci-003}
 * → {@code p50k_base}; ...).
 *
 * <p>Works offline: the vocabularies ship inside the JTokkit jar. Each encoding is loaded once, on
 * first use, and shared by every name that maps to it. Found by {@link ServiceLoader}; use it
 * through {@link io.batchwise.tokenizer.TokenizerRegistry}:
 *
 * <pre>{@code
 * Tokenizer t = TokenizerRegistry.standalone().get("text-embedding-3-small"); // cl100k_base
 * int n = t.count("tiktoken is great!");
 * }</pre>
 */
public final class JtokkitTokenizerFactory implements TokenizerFactory {

  /** The factory id. */
  public static final String ID = "jtokkit";

  /** Creates the factory; cheap, loads nothing. */
  public JtokkitTokenizerFactory() {}

  /**
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * @return the encoding names, then common model names
   */
  @Override
  public List<String> names() {
    return TiktokenEncodings.names();
  }

  /**
   * Whether {@code name} is an encoding or a model whose name starts with a known prefix.
   *
   * @param name an encoding or model name
   * @return true when {@link #create(String)} succeeds for it
   */
  @Override
  public boolean supports(String name) {
    return TiktokenEncodings.encodingFor(name).isPresent();
  }

  /**
   * The shared tokenizer of the name's encoding; its {@link Tokenizer#name()} is the encoding name.
   *
   * @param name an encoding or model name
   * @return the tokenizer, thread-safe
   * @throws IllegalArgumentException when the name is unknown
   */
  @Override
  public Tokenizer create(String name) {
    return TiktokenEncodings.tokenizer(name);
  }
}

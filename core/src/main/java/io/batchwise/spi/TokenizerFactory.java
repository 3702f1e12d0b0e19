package io.batchwise.spi;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates {@link Tokenizer}s; found by {@link ServiceLoader} through {@code
 * META-INF/services/io.batchwise.spi.TokenizerFactory}.
 *
 * <p>Implementations must be public with a public no-argument constructor. Loading a tokenizer is
 * expensive, so callers get tokenizers from {@link io.batchwise.tokenizer.TokenizerRegistry}, which
 * creates each name once.
 */
public interface TokenizerFactory {

  /**
   * A stable lowercase identifier of this factory, e.g. {@code jtokkit}.
   *
   * @return the id
   */
  String id();

  /**
   * The model or encoding names this factory can create, for listings and error messages.
   *
   * @return the names, possibly empty when the factory accepts open-ended names (such as paths)
   */
  List<String> names();

  /**
   * Whether this factory can create a tokenizer for {@code name}.
   *
   * @param name a model or encoding name
   * @return true when {@link #create(String)} would succeed for it
   */
  boolean supports(String name);

  /**
   * Loads the tokenizer for {@code name}. Expensive: called once per name by the registry.
   *
   * @param name a name for which {@link #supports(String)} is true
   * @return a thread-safe tokenizer
   * @throws IllegalArgumentException when the name is not supported
   */
  Tokenizer create(String name);
}

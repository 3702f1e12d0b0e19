package io.batchwise.examples.customprovider;

import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.FactoryContexts;
import io.batchwise.testkit.TokenizerContract;
import java.util.Map;

/**
 * The tokenizer contract, run against the hashing model's word tokenizer (which encodes to feature
 * buckets but, hashing being one-way, does not decode: the contract checks that it refuses by
 * name).
 */
class HashingTokenizerContractTest extends TokenizerContract {
  private static final HashingProviderFactory FACTORY = new HashingProviderFactory();

  @Override
  protected Tokenizer createTokenizer() {
    return FACTORY.create(FactoryContexts.of(FACTORY, Map.of())).tokenizer();
  }
}

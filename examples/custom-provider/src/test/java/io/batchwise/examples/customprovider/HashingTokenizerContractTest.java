package io.batchwise.examples.customprovider;

import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.TokenizerContract;
import java.util.Map;

/**
 * The tokenizer contract, run against the hashing model's word tokenizer (which encodes to feature
 * buckets but, hashing being one-way, does not decode: the contract checks that it refuses by name).
 */
class HashingTokenizerContractTest extends TokenizerContract {

  @Override
  protected Tokenizer createTokenizer() {
    return new HashingProviderFactory().create(TestContexts.with(Map.of())).tokenizer();
  }
}

package io.batchwise.examples.customprovider;

import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.TokenizerContract;
import java.util.Map;

/** The tokenizer contract, run against the hashing model's word tokenizer. */
class HashingTokenizerContractTest extends TokenizerContract {

  @Override
  protected Tokenizer createTokenizer() {
    return new HashingProviderFactory().create(TestContexts.with(Map.of())).tokenizer();
  }

  /** Hashing is one-way: token ids cannot be turned back into words. */
  @Override
  protected boolean decodeRoundTrips() {
    return false;
  }
}

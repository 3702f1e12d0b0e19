package io.batchwise.providers.local.internal;

import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.TokenizerContract;
import org.junit.jupiter.api.Nested;

/** The core tokenizer contract, against each named model's tokenizer. */
class LocalTokenizerContractTest {

  @Nested
  class AllMiniLmL6V2 extends TokenizerContract {
    @Override
    protected Tokenizer createTokenizer() {
      return LocalProviders.tokenizer("all-minilm-l6-v2");
    }
  }

  @Nested
  class BgeSmallEnV15 extends TokenizerContract {
    @Override
    protected Tokenizer createTokenizer() {
      return LocalProviders.tokenizer("bge-small-en-v1.5-q");
    }
  }
}

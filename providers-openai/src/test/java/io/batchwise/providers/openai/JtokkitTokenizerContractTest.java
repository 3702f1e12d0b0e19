package io.batchwise.providers.openai;

import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.TokenizerContract;
import org.junit.jupiter.api.Nested;

/** The tokenizer contract for every tiktoken encoding offered. */
class JtokkitTokenizerContractTest {

  abstract static class ForEncoding extends TokenizerContract {
    abstract String encoding();

    @Override
    protected Tokenizer createTokenizer() {
      return new JtokkitTokenizerFactory().create(encoding());
    }
  }

  @Nested
  class Cl100kBase extends ForEncoding {
    @Override
    String encoding() {
      return "cl100k_base";
    }
  }

  @Nested
  class O200kBase extends ForEncoding {
    @Override
    String encoding() {
      return "o200k_base";
    }
  }

  @Nested
  class P50kBase extends ForEncoding {
    @Override
    String encoding() {
      return "p50k_base";
    }
  }

  @Nested
  class R50kBase extends ForEncoding {
    @Override
    String encoding() {
      return "r50k_base";
    }
  }
}

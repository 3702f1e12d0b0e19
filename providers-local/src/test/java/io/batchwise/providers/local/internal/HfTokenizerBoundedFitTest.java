package io.batchwise.providers.local.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.BoundedFitContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * all-MiniLM-L6-v2's WordPiece tokenizer reads a long text only as far as its kept tokens need. The
 * reference is the native tokenizer run directly on the whole text: the kept text ends where its
 * token after the limit starts, and is exactly its first 254 word pieces between [CLS] and [SEP].
 */
class HfTokenizerBoundedFitTest extends BoundedFitContract {
  private static final HfTokenizer MINI_LM =
      (HfTokenizer) LocalProviders.tokenizer("all-minilm-l6-v2");
  private static final HuggingFaceTokenizer NATIVE = loadNative();

  /** The last whole text tokenized, so that each text is tokenized whole once. */
  private String lastText;

  private Encoding lastEncoding;

  private static HuggingFaceTokenizer loadNative() {
    try (InputStream json =
        HfTokenizer.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      return HuggingFaceTokenizer.newInstance(
          json, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Encoding whole(String text) {
    if (text != lastText) {
      lastEncoding = NATIVE.encode(text);
      lastText = text;
    }
    return lastEncoding;
  }

  @Override
  protected Tokenizer tokenizer() {
    return MINI_LM;
  }

  @Override
  protected long charsTokenized() {
    return MINI_LM.charsTokenized();
  }

  @Override
  protected TokenFit wholeTextFit(String text, int maxTokens) {
    Encoding all = whole(text);
    int count = all.getIds().length;
    if (count <= maxTokens) {
      return TokenFit.whole(text, count);
    }
    // content token maxTokens - 2 is the first one over the limit ([CLS] is token 0)
    int cut = text.offsetByCodePoints(0, all.getCharTokenSpans()[maxTokens - 1].getStart());
    String kept = text.substring(0, cut);
    return TokenFit.cut(kept, NATIVE.encode(kept).getIds().length, count);
  }

  @Override
  protected boolean keepsTheFirstTokens(String text, String kept) {
    long[] all = whole(text).getIds();
    long[] cut = NATIVE.encode(kept).getIds();
    int content = cut.length - 2;
    return cut[0] == all[0]
        && cut[cut.length - 1] == all[all.length - 1]
        && Arrays.equals(cut, 1, 1 + content, all, 1, 1 + content);
  }
}

package io.batchwise.providers.openai.internal;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.testkit.BoundedFitContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;

/**
 * tiktoken encodings through JTokkit read a long text only as far as its kept tokens need. The
 * encoding is wrapped to count every character handed to it, and the reference is the cut of the
 * whole text as JTokkit makes it.
 */
class JtokkitBoundedFitTest {

  @Nested
  class Cl100kBase extends Contract {
    Cl100kBase() {
      super(EncodingType.CL100K_BASE);
    }
  }

  @Nested
  class O200kBase extends Contract {
    O200kBase() {
      super(EncodingType.O200K_BASE);
    }
  }

  abstract static class Contract extends BoundedFitContract {
    private final Encoding encoding;
    private final CountingEncoding counting;
    private final JtokkitTokenizer tokenizer;

    /** The last whole text encoded, so that each text is encoded whole once. */
    private String lastText;

    private IntArrayList lastTokens;

    Contract(EncodingType type) {
      this.encoding = TiktokenEncodings.registry().getEncoding(type);
      this.counting = new CountingEncoding(encoding);
      this.tokenizer = new JtokkitTokenizer(type, counting);
    }

    private IntArrayList whole(String text) {
      if (text != lastText) {
        lastTokens = encoding.encodeOrdinary(text);
        lastText = text;
      }
      return lastTokens;
    }

    @Override
    protected Tokenizer tokenizer() {
      return tokenizer;
    }

    @Override
    protected long charsTokenized() {
      return counting.chars.get();
    }

    /**
     * Cutting as JTokkit cuts the whole text: after its first tokens, shortened until the cut fits.
     */
    @Override
    protected TokenFit wholeTextFit(String text, int maxTokens) {
      int total = whole(text).size();
      if (total <= maxTokens) {
        return TokenFit.whole(text, total);
      }
      EncodingResult first = encoding.encodeOrdinary(text, maxTokens);
      String kept = prefix(text, first.getLastProcessedCharacterIndex() + 1);
      while (!kept.isEmpty() && encoding.countTokensOrdinary(kept) > maxTokens) {
        kept = prefix(text, kept.length() - 1);
      }
      return TokenFit.cut(kept, encoding.countTokensOrdinary(kept), total);
    }

    private static String prefix(String text, int end) {
      return text.substring(
          0,
          end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
              ? end - 1
              : end);
    }

    @Override
    protected boolean keepsTheFirstTokens(String text, String kept) {
      IntArrayList all = whole(text);
      IntArrayList cut = encoding.encodeOrdinary(kept);
      for (int i = 0; i < cut.size(); i++) {
        if (cut.get(i) != all.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** An encoding that counts the characters of every text it is handed to count or encode. */
  static final class CountingEncoding implements Encoding {
    final AtomicLong chars = new AtomicLong();
    private final Encoding delegate;

    CountingEncoding(Encoding delegate) {
      this.delegate = delegate;
    }

    private String seen(String text) {
      chars.addAndGet(text.length());
      return text;
    }

    @Override
    public IntArrayList encode(String text) {
      return delegate.encode(seen(text));
    }

    @Override
    public EncodingResult encode(String text, int maxTokens) {
      return delegate.encode(seen(text), maxTokens);
    }

    @Override
    public IntArrayList encodeOrdinary(String text) {
      return delegate.encodeOrdinary(seen(text));
    }

    @Override
    public EncodingResult encodeOrdinary(String text, int maxTokens) {
      return delegate.encodeOrdinary(seen(text), maxTokens);
    }

    @Override
    public int countTokens(String text) {
      return delegate.countTokens(seen(text));
    }

    @Override
    public int countTokensOrdinary(String text) {
      return delegate.countTokensOrdinary(seen(text));
    }

    @Override
    public String decode(IntArrayList tokens) {
      return delegate.decode(tokens);
    }

    @Override
    public byte[] decodeBytes(IntArrayList tokens) {
      return delegate.decodeBytes(tokens);
    }

    @Override
    public String getName() {
      return delegate.getName();
    }
  }
}

package io.batchwise.providers.openai.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that fails as soon as more than a set number of bytes has been read through it,
 * so that a response body (after OkHttp has transparently un-gzipped it) costs bounded time and
 * memory however much the server sends. Not thread-safe, like the stream it wraps.
 */
final class LimitedInputStream extends FilterInputStream {
  /** The body went past the limit; what was read so far is discarded by the caller. */
  static final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    LimitExceededException(long limit) {
      super("more than " + limit + " bytes");
      this.limit = limit;
    }

    /**
     * @return the limit that was crossed, in bytes
     */
    long limit() {
      return limit;
    }
  }

  private final long limit;
  private long read;

  /**
   * @param in the stream to read
   * @param limit the most bytes that may be read; one more fails the read
   */
  LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    // never ask for more than one byte past the limit: crossing it is detected without reading on
    int n = in.read(b, off, (int) Math.min(len, Math.max(1, limit - read + 1)));
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, Math.max(1, limit - read + 1)));
    if (skipped > 0) {
      count(skipped);
    }
    return skipped;
  }

  private void count(long n) throws LimitExceededException {
    read += n;
    if (read > limit) {
      throw new LimitExceededException(limit);
    }
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would let bytes be read twice but counted once
  }

  @Override
  public synchronized void mark(int readLimit) {
    // not supported: see markSupported()
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}

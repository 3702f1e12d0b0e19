/**
 * The {@code hashing} provider, a third-party provider written against Batchwise's SPI alone, as a
 * named module: it reads only {@code io.batchwise.core}'s exported packages, exports its factory's
 * package and keeps {@code io.batchwise.examples.customprovider.internal} to itself.
 *
 * <p>On the module path Batchwise finds it through {@code provides} below (core {@code uses} the
 * SPI); on the class path through {@code META-INF/services}, which stays for that.
 */
module io.batchwise.examples.customprovider {
  requires transitive io.batchwise.core;

  exports io.batchwise.examples.customprovider;

  provides io.batchwise.spi.EmbeddingProviderFactory with
      io.batchwise.examples.customprovider.HashingProviderFactory;
}

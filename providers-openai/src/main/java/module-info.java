// JTokkit is an automatic module named after its jar file: there is no other name to require
/**
 * The {@code openai} provider (any OpenAI-compatible {@code /v1/embeddings} endpoint), its Batch
 * API client, the {@code jtokkit} tokenizers and the {@code openai} chat mapper.
 *
 * <p>Exports only {@link io.batchwise.providers.openai}.
 */
@SuppressWarnings({"requires-automatic"})
module io.batchwise.providers.openai {
  requires transitive io.batchwise.core;
  requires okhttp3;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.networknt.schema;
  // JTokkit's jar names no module; this is the name the JDK derives from its file name
  requires jtokkit;
  requires org.slf4j;
  // answers are cached when batchwise-cache is present (an optional dependency)
  requires static io.batchwise.cache;

  exports io.batchwise.providers.openai;

  provides io.batchwise.spi.EmbeddingProviderFactory with
      io.batchwise.providers.openai.OpenAiProviderFactory;
  provides io.batchwise.spi.TokenizerFactory with
      io.batchwise.providers.openai.JtokkitTokenizerFactory;
  provides io.batchwise.map.MapperFactory with
      io.batchwise.providers.openai.OpenAiMapperFactory;
}

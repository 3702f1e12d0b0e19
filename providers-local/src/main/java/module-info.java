// ONNX Runtime, DJL's tokenizers and JNA are automatic modules that name themselves in their
// manifests
/**
 * The {@code local} provider: sentence-transformer models run in-process with ONNX Runtime and
 * Hugging Face tokenizers (DJL).
 *
 * <p>Exports only {@link io.batchwise.providers.local}; the model files are read as resources of
 * the model jars (at their root, so no package of theirs needs opening).
 */
@SuppressWarnings({"requires-automatic"})
module io.batchwise.providers.local {
  // the factories implement core's SPIs and LocalOptions declares core's ConfigOptions
  requires transitive io.batchwise.core;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires com.google.gson;
  requires com.sun.jna;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.batchwise.providers.local;

  provides io.batchwise.spi.EmbeddingProviderFactory with
      io.batchwise.providers.local.LocalProviderFactory;
  provides io.batchwise.spi.TokenizerFactory with
      io.batchwise.providers.local.LocalTokenizerFactory;
}

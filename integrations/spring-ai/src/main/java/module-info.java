// Spring AI is an automatic module named after its jar files: there is no other name to require
/**
 * Batchwise as Spring AI's {@code EmbeddingModel}, with a pass-through {@code BatchingStrategy}.
 *
 * <p>Spring AI's jars name no module, so {@code spring.ai.model} and {@code spring.ai.commons} are
 * the names the JDK derives from their file names; on the module path those jars must keep their
 * Maven file names.
 */
@SuppressWarnings({"requires-transitive-automatic"})
module io.batchwise.springai {
  requires transitive io.batchwise.core;
  // the adapters implement and return Spring AI's types (provided: the application brings its
  // version)
  requires transitive spring.ai.model;
  requires transitive spring.ai.commons;

  exports io.batchwise.springai;
}

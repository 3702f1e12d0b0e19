// LangChain4j is an automatic module named after its jar file: there is no other name to require
/**
 * Batchwise as LangChain4j's {@code EmbeddingModel}, and any LangChain4j model as a Batchwise
 * provider.
 *
 * <p>LangChain4j's jars name no module, so {@code langchain4j.core} is the name the JDK derives
 * from the file {@code langchain4j-core-<version>.jar}; on the module path that jar must keep its
 * Maven file name.
 */
@SuppressWarnings({"requires-transitive-automatic"})
module io.batchwise.langchain4j {
  requires transitive io.batchwise.core;
  // the adapters implement and return LangChain4j's types (provided: the application brings its
  // version)
  requires transitive langchain4j.core;

  exports io.batchwise.langchain4j;
}

/**
 * Batchwise and LangChain4j: {@link io.batchwise.langchain4j.BatchwiseEmbeddingModel} presents a
 * Batchwise embedder as LangChain4j's {@code EmbeddingModel}, and {@link
 * io.batchwise.langchain4j.LangChain4jProvider} makes any LangChain4j {@code EmbeddingModel} a
 * Batchwise provider.
 */
package io.batchwise.langchain4j;

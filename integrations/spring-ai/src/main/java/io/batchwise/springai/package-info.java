/**
 * Batchwise and Spring AI: {@link io.batchwise.springai.BatchwiseEmbeddingModel} presents a
 * Batchwise embedder as Spring AI's {@code EmbeddingModel}, and {@link
 * io.batchwise.springai.PassThroughBatchingStrategy} lets Batchwise, not Spring AI, pack a vector
 * store's documents into provider calls.
 */
package io.batchwise.springai;

/**
 * Example apps that use Batchwise through LangChain4j and Spring AI, run by {@code batchwise
 * example NAME}.
 */
package io.batchwise.examples.integrations;

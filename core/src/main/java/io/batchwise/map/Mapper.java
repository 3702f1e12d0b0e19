package io.batchwise.map;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Runs one instruction over many items through a language model and returns one answer per item, in
 * input order: items packed several to a request where they fit, identical items asked once,
 * answers cached, each answer checked against a JSON schema, an answer that is missing or does not
 * fit asked again without the others, the calls run on the instance's scheduler with its retries,
 * timeouts and rate limits.
 *
 * <p>Every item gets exactly one {@link MapAnswer} at its own index: an answer, or an error naming
 * the item and the reason; one bad item never loses the others. Thread-safe; obtain it from {@code
 * Batchwise.mapper()}, which closes it with the instance.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().option("openai.chat.model", "gpt-4o-mini").cache("sqlite").build()) {
 *   String schema = """
 *       {"type":"object","properties":{"topic":{"enum":["sport","science","politics"]}},"required":["topic"]}""";
 *   MapResult result = bw.mapper().mapAll(headlines, "Classify the headline by topic.", schema);
 *   List<String> answers = result.answers();   // JSON text per item; throws if any item failed
 *   System.out.println(result.usage());         // calls, tokens, cache hits, cost
 * }
 * }</pre>
 */
public interface Mapper extends AutoCloseable {

  /**
   * Runs {@code instruction} over every item and waits for the answers.
   *
   * @param items the items; a null, empty or whitespace-only item fails alone
   * @param instruction what to do with each item, e.g. {@code "Classify the headline by topic."}
   * @param schema a JSON Schema (as JSON text) every answer must match, or null for any JSON value
   * @return one answer per item, in input order, with usage
   * @throws NullPointerException when {@code items} or {@code instruction} is null
   * @throws IllegalArgumentException when the instruction is blank or the schema is not a valid
   *     JSON Schema (the message says where)
   */
  MapResult mapAll(List<String> items, String instruction, String schema);

  /**
   * Runs {@code instruction} over every item without blocking the caller; see {@link #mapAll(List,
   * String, String)}.
   *
   * @param items the items
   * @param instruction what to do with each item
   * @param schema a JSON Schema every answer must match, or null
   * @return a future of the result
   * @throws NullPointerException when {@code items} or {@code instruction} is null
   * @throws IllegalArgumentException when the instruction is blank or the schema is invalid
   */
  default CompletableFuture<MapResult> mapAllAsync(
      List<String> items, String instruction, String schema) {
    return mapAllAsync(items, instruction, schema, done -> {});
  }

  /**
   * Runs {@code instruction} over every item without blocking the caller, telling {@code progress}
   * as items get their final outcome (for a progress bar); see {@link #mapAll(List, String,
   * String)}.
   *
   * @param items the items
   * @param instruction what to do with each item
   * @param schema a JSON Schema every answer must match, or null
   * @param progress told the number of items whose outcome (answer or failure) just became final;
   *     the counts add up to {@code items.size()}. It runs on the mapper's threads and must be
   *     quick
   * @return a future of the result
   * @throws NullPointerException when {@code items}, {@code instruction} or {@code progress} is
   *     null
   * @throws IllegalArgumentException when the instruction is blank or the schema is invalid
   */
  CompletableFuture<MapResult> mapAllAsync(
      List<String> items, String instruction, String schema, IntConsumer progress);

  /**
   * What {@link #mapAll} would do, without calling the model: items, unique items, cache hits,
   * items too large for the model's context window, requests, prompt tokens, predicted answer
   * tokens and the cost at the model's list price.
   *
   * @param items the items
   * @param instruction what to do with each item
   * @param schema a JSON Schema every answer must match, or null
   * @return the plan
   * @throws IllegalArgumentException when the instruction is blank or the schema is invalid
   */
  MapPlan plan(List<String> items, String instruction, String schema);

  /**
   * The model the items are sent to.
   *
   * @return the model name
   */
  String model();

  /** Releases the mapper's connections; the {@code Batchwise} instance that made it calls this. */
  @Override
  default void close() {}
}

/**
 * Exporters, binders and reports for the meters Batchwise records.
 *
 * <h2>The meter convention</h2>
 *
 * <p>Every meter is named {@code batchwise.<area>.<what>} (constants in {@link
 * io.batchwise.meters.MeterNames}); Prometheus shows the dots as underscores and adds {@code
 * _total} to counters and {@code _seconds} to timers.
 *
 * <table>
 *   <caption>Areas, their meters and tags</caption>
 *   <tr><th>area</th><th>meters</th><th>tags</th></tr>
 *   <tr><td>{@code batchwise.embed.*}</td>
 *       <td>inputs, unique.inputs, failures, truncations, calls (counters); call.latency, latency (timers)</td>
 *       <td>provider, model; outcome on call.latency</td></tr>
 *   <tr><td>{@code batchwise.cache.*}</td>
 *       <td>hits, misses, puts, evictions, errors (counters); load (timer)</td>
 *       <td>cache</td></tr>
 *   <tr><td>{@code batchwise.tokens*}</td>
 *       <td>tokens (counter); tokens.count.cache.hits, tokens.count.cache.misses (counters)</td>
 *       <td>provider, model</td></tr>
 *   <tr><td>{@code batchwise.job.*}</td>
 *       <td>submitted, items, batches, retries, timeouts, tokens (counters); batch.latency, duration
 *           (timers); in.flight, concurrency (gauges)</td>
 *       <td>job; outcome on items (succeeded, failed, cancelled, skipped), batch.latency (success,
 *           failure, timeout) and duration (completed, stopped)</td></tr>
 *   <tr><td>{@code batchwise.http.*}</td>
 *       <td>requests, request.bytes, response.bytes (counters); latency (timer)</td>
 *       <td>provider; outcome (status class)</td></tr>
 * </table>
 *
 * <p>Counters count events, timers time one operation and publish p50, p95 and p99 (and, through
 * {@link io.batchwise.metrics.BatchwiseMetrics#percentiles()}, a histogram for Prometheus), gauges
 * report a current level. Tags are lowercase and limited to {@code provider}, {@code model}, {@code
 * cache}, {@code job} and {@code outcome}, so dashboards can rely on them. Caffeine caches bound
 * with {@link io.batchwise.metrics.CaffeineBinder} report under Micrometer's own {@code cache.*}
 * names with the same {@code cache} tag.
 *
 * <h2>What is here</h2>
 *
 * <ul>
 *   <li>{@link io.batchwise.metrics.BatchwiseMetrics}: percentiles for every Batchwise timer and a
 *       ready Prometheus registry.
 *   <li>{@link io.batchwise.metrics.PrometheusEndpoint}: a scrape endpoint on the JDK's HTTP
 *       server, loopback by default, with a JSON snapshot beside it.
 *   <li>{@link io.batchwise.metrics.MeterSnapshot}: every meter of a registry as JSON.
 *   <li>{@link io.batchwise.metrics.JobReport}: the end-of-job report, as text and JSON.
 *   <li>{@link io.batchwise.metrics.CaffeineBinder}: Caffeine cache statistics. OkHttp is not a
 *       dependency of this module; an OkHttp {@code EventListener} binder belongs with the module
 *       that owns the client ({@code providers-openai}), where Micrometer's {@code
 *       OkHttpMetricsEventListener} can be attached.
 * </ul>
 */
package io.batchwise.metrics;

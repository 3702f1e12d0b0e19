/**
 * The {@code sqlite} cache ({@code batchwise-cache-sqlite}): embeddings and memoized results in one
 * SQLite file that survives restarts and is shared safely by threads and processes, which makes
 * long jobs resumable. Choose it with {@code cache=sqlite} ({@link
 * io.batchwise.cache.sqlite.SqliteCacheFactory}), open it as a store with {@code
 * ByteStores.open("sqlite", ...)}, or put Caffeine in front of it with {@code cache=tiered}. Its
 * options are in {@link io.batchwise.cache.sqlite.SqliteOptions}.
 */
package io.batchwise.cache.sqlite;

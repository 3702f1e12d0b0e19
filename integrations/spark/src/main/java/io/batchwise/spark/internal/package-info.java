/**
 * The implementation of {@code io.batchwise.spark}: the per-JVM instances and the partition
 * function. Public types here exist for Spark's serialization and carry no compatibility promise.
 */
package io.batchwise.spark.internal;

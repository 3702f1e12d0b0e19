/**
 * The Apache Spark example app, run by {@code batchwise example spark-embed} from its own class
 * path.
 */
package io.batchwise.examples.spark;

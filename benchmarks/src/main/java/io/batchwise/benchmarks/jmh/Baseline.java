package io.batchwise.benchmarks.jmh;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link org.openjdk.jmh.annotations.Benchmark} method the others of its class are
 * compared with in {@code BENCHMARKS.md}: each row's ratio is the baseline's time divided by the
 * row's, with the same parameters, measured in the same run.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Baseline {}

package io.batchwise.benchmarks.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link MacroBenchmark} that cannot fit the quick mode's three-minute budget at any scale
 * (such as the whole JMH suite): a quick run leaves it out and says so, unless {@code --only} names
 * it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FullModeOnly {}

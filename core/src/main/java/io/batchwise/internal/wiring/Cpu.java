package io.batchwise.internal.wiring;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Qualifies the CPU pool: threads sized to the cores, for tokenizing, packing and decoding. */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
public @interface Cpu {}

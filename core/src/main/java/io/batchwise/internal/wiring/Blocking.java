package io.batchwise.internal.wiring;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Qualifies the pool for blocking I/O (cache backends), kept apart from the CPU pool. */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
public @interface Blocking {}

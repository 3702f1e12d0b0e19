package io.batchwise.internal.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * What a job borrows from its scheduler.
 *
 * @param number the job's number within the scheduler, for thread names and messages
 * @param cpu runs the job's drain loop: reading the source, counting tokens, packing
 * @param io invokes the agent
 * @param delivery delivers results to subscribers
 * @param time the clock and timer
 * @param random uniform numbers in [0, 1) for retry jitter
 * @param registry where the job's meters go
 * @param inFlightGauge the gauge of running batches for the job's name
 * @param concurrencyGauge the gauge of the concurrency limit for the job's name
 */
record JobContext(
    long number,
    Executor cpu,
    Executor io,
    Executor delivery,
    TimeSource time,
    DoubleSupplier random,
    MeterRegistry registry,
    AtomicLong inFlightGauge,
    AtomicLong concurrencyGauge) {}

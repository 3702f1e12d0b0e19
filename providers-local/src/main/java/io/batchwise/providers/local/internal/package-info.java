/**
 * The implementation of the {@code local} provider: not an API. {@link
 * io.batchwise.providers.local.internal.LocalProviders} is the one entry point the public factories
 * use.
 */
package io.batchwise.providers.local.internal;

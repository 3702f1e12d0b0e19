package io.batchwise.providers.local.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.batchwise.config.ConfigurationException;
import io.batchwise.io.AtomicFile;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.Pooling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session of a sentence-transformer model, and the pooling and normalization that
 * turn its token vectors into sentence vectors.
 *
 * <p>{@link #embed(List)} pads one micro-batch to its longest row, runs it, and pools. The session
 * is shared: ONNX Runtime allows concurrent {@code run} calls on one session, which is how the
 * provider uses all cores with one copy of the weights. {@link #close()} frees the session's native
 * memory and must not race a running {@link #embed(List)} (the provider guarantees that). Every
 * native call goes through the {@link NativeExitGuard}, so that the JVM's exit waits for it and
 * none starts after.
 */
final class OnnxModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";

  /** Output names that carry one vector per token, in order of preference. */
  private static final List<String> TOKEN_OUTPUTS =
      List.of("last_hidden_state", "token_embeddings");

  /** Sessions created in this JVM, for tests that check a run from the cache creates none. */
  static final AtomicLong SESSIONS_CREATED = new AtomicLong();

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String output;
  private final boolean outputIsPooled;
  private final boolean feedsTokenTypes;
  private final int dimensions;
  private final Pooling pooling;
  private final boolean normalize;

  /**
   * The saved optimized graph this was loaded from, or null when loaded from the model's own file.
   */
  private Path source;

  private OnnxModel(
      OrtEnvironment environment, OrtSession session, Pooling pooling, boolean normalize)
      throws OrtException {
    this.environment = environment;
    this.session = session;
    this.pooling = pooling;
    this.normalize = normalize;
    Set<String> inputs = session.getInputNames();
    for (String input : inputs) {
      if (!input.equals(INPUT_IDS)
          && !input.equals(ATTENTION_MASK)
          && !input.equals(TOKEN_TYPE_IDS)) {
        throw new ConfigurationException(
            "the model takes an input '"
                + input
                + "' this provider cannot feed; it feeds "
                + INPUT_IDS
                + ", "
                + ATTENTION_MASK
                + " and "
                + TOKEN_TYPE_IDS);
      }
    }
    if (!inputs.contains(INPUT_IDS) || !inputs.contains(ATTENTION_MASK)) {
      throw new ConfigurationException(
          "the model's inputs are "
              + inputs
              + "; a sentence-transformer needs "
              + INPUT_IDS
              + " and "
              + ATTENTION_MASK);
    }
    this.feedsTokenTypes = inputs.contains(TOKEN_TYPE_IDS);
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String chosen = null;
    for (String name : TOKEN_OUTPUTS) {
      if (outputs.containsKey(name)) {
        chosen = name;
        break;
      }
    }
    if (chosen == null) {
      chosen = outputs.keySet().iterator().next();
    }
    this.output = chosen;
    long[] shape = ((TensorInfo) outputs.get(chosen).getInfo()).getShape();
    if (shape.length != 2 && shape.length != 3) {
      throw new ConfigurationException(
          "the model's output '"
              + chosen
              + "' has rank "
              + shape.length
              + "; expected [batch, tokens,"
              + " dims] or [batch, dims]");
    }
    this.outputIsPooled = shape.length == 2;
    long dims = shape[shape.length - 1];
    this.dimensions = dims > 0 ? (int) dims : probeDimensions();
  }

  /**
   * Loads a model into a new session: from its optimized graph saved in {@code store} when there is
   * one, else from the model's file, saving the optimized graph to {@code store} for later loads. A
   * saved graph that ONNX Runtime cannot load, or that does not fit the model, is replaced: the
   * model is loaded from its own file and saved again.
   *
   * @param spec the model
   * @param intraOpThreads threads ONNX Runtime uses inside one run
   * @param store where optimized graphs are saved, or empty to optimize the graph on every load
   * @return the model
   * @throws ConfigurationException when the model cannot be loaded or has unexpected inputs or
   *     outputs
   * @throws IllegalStateException when the JVM is exiting ({@link NativeExitGuard})
   */
  static OnnxModel load(ModelSpec spec, int intraOpThreads, Optional<OptimizedModelStore> store) {
    // before the guard: should the JVM begin to exit meanwhile, no ONNX Runtime starts without the
    // opt-out
    NativeOptOuts.apply();
    Optional<Path> saved =
        store.flatMap(s -> s.file(spec, guarded("ONNX Runtime", () -> environment().getVersion())));
    if (saved.isPresent() && store.get().loadable(saved.get())) {
      try {
        OnnxModel model =
            guarded(
                saved.get().toString(),
                () ->
                    create(
                        spec,
                        Source.of(saved.get()),
                        OptimizedModelStore.LOADED_LEVEL,
                        null,
                        intraOpThreads));
        model.source = saved.get();
        return model;
      } catch (ConfigurationException e) {
        LOG.warn(
            "{}; loading {} and saving its optimized graph again",
            e.getMessage(),
            spec.model().describe());
      }
    }
    Source original = Source.original(spec);
    if (saved.isEmpty()) {
      return guarded(
          spec.model().describe(),
          () -> create(spec, original, OptimizedModelStore.SAVED_LEVEL, null, intraOpThreads));
    }
    AtomicFile out;
    try {
      out = store.get().create(saved.get());
    } catch (IOException e) {
      LOG.warn(
          "cannot save the optimized model in {} ({}): the graph is optimized on every load; set {} to a"
              + " writable directory, or to nothing to switch saving off",
          store.get().dir(),
          e.getMessage(),
          LocalOptions.OPTIMIZED_MODEL_DIR.key());
      return guarded(
          spec.model().describe(),
          () -> create(spec, original, OptimizedModelStore.SAVED_LEVEL, null, intraOpThreads));
    }
    try (out) {
      OnnxModel model;
      try {
        model =
            guarded(
                spec.model().describe(),
                () ->
                    create(
                        spec,
                        original,
                        OptimizedModelStore.SAVED_LEVEL,
                        out.temporary(),
                        intraOpThreads));
      } catch (ConfigurationException e) {
        // writing the graph may be what failed (a full disk): the model must still load without it
        LOG.debug(
            "loading {} while saving its optimized graph failed ({}); loading it without saving",
            spec.model().describe(),
            e.getMessage());
        return guarded(
            spec.model().describe(),
            () -> create(spec, original, OptimizedModelStore.SAVED_LEVEL, null, intraOpThreads));
      }
      try {
        store.get().commit(out);
      } catch (IOException e) {
        LOG.warn(
            "could not save the optimized model as {} ({}); the graph is optimized on every load",
            saved.get(),
            e.getMessage());
      }
      return model;
    }
  }

  /**
   * Runs native code that the JVM's exit must wait for (creating a session runs for a second or
   * more).
   */
  private static <T> T guarded(String what, NativeExitGuard.NativeCall<T> call) {
    try {
      return NativeExitGuard.runtime().call(call);
    } catch (OrtException e) {
      throw new ConfigurationException(
          "ONNX Runtime could not load " + what + ": " + e.getMessage());
    }
  }

  /**
   * What a session is created from: a file ONNX Runtime reads itself, or the bytes of a resource.
   */
  private record Source(Path path, ByteBuffer bytes) {
    static Source of(Path path) {
      return new Source(path, null);
    }

    /** The model's own file, or its resource read into memory (Java I/O: outside the guard). */
    static Source original(ModelSpec spec) {
      if (spec.model().path() != null) {
        return of(spec.model().path());
      }
      try {
        return new Source(null, spec.model().readDirect());
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + spec.model().describe(), e);
      }
    }
  }

  private static OnnxModel create(
      ModelSpec spec,
      Source source,
      OrtSession.SessionOptions.OptLevel level,
      Path saveTo,
      int intraOpThreads)
      throws OrtException {
    OrtEnvironment environment = environment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(
          1); // the graph is a chain: nothing to run in parallel between nodes
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(level);
      if (saveTo != null) {
        options.setOptimizedModelFilePath(saveTo.toString());
      }
      OrtSession session =
          source.path() != null
              ? environment.createSession(source.path().toString(), options)
              : environment.createSession(source.bytes(), options);
      SESSIONS_CREATED.incrementAndGet();
      try {
        OnnxModel model = new OnnxModel(environment, session, spec.pooling(), spec.normalize());
        if (spec.dimensions() != 0 && model.dimensions() != spec.dimensions()) {
          throw new ConfigurationException(
              spec.model().describe()
                  + " makes "
                  + model.dimensions()
                  + "-dimensional vectors, but "
                  + spec.id()
                  + " is declared with "
                  + spec.dimensions());
        }
        return model;
      } catch (OrtException | RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }

  /**
   * The one ONNX Runtime environment, created after the telemetry opt-out and pinned, so that the
   * binding's shutdown hook cannot release it under a running call ({@link EnvironmentPin}).
   */
  static OrtEnvironment environment() {
    NativeOptOuts.apply();
    OrtNativeLibrary.keep();
    OrtEnvironment environment =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "batchwise");
    EnvironmentPin.pin(environment);
    try {
      environment.setTelemetry(false);
    } catch (OrtException e) {
      // not every build has telemetry to switch off; the environment variable did the real work
    }
    return environment;
  }

  private int probeDimensions() throws OrtException {
    return run(List.of(new long[] {0, 0}))[0].length; // inside load's guarded call already
  }

  /**
   * The length of every vector.
   *
   * @return e.g. 384
   */
  int dimensions() {
    return dimensions;
  }

  /**
   * The saved optimized graph this model was loaded from, for tests and diagnostics.
   *
   * @return the file, or empty when the model was loaded (and its graph optimized) from its own
   *     file
   */
  Optional<Path> loadedFromOptimized() {
    return Optional.ofNullable(source);
  }

  /**
   * The session's input names, for diagnostics.
   *
   * @return the names
   */
  Set<String> inputNames() {
    return session.getInputNames();
  }

  /**
   * Embeds one micro-batch: pads every row to the longest, runs the session, pools and normalizes.
   *
   * @param rows the token ids of each input, special tokens included, none empty
   * @return one vector per row, in order
   * @throws OrtException when ONNX Runtime fails
   * @throws IllegalStateException when the JVM is exiting ({@link NativeExitGuard}): no run starts
   *     then
   */
  float[][] embed(List<long[]> rows) throws OrtException {
    return NativeExitGuard.runtime().call(() -> run(rows));
  }

  private float[][] run(List<long[]> rows) throws OrtException {
    int batch = rows.size();
    int length = 0;
    for (long[] row : rows) {
      length = Math.max(length, row.length);
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    int[] lengths = new int[batch];
    for (int r = 0; r < batch; r++) {
      long[] row = rows.get(r);
      System.arraycopy(row, 0, ids, r * length, row.length);
      Arrays.fill(mask, r * length, r * length + row.length, 1L);
      lengths[r] = row.length;
    }
    long[] shape = {batch, length};
    Map<String, OnnxTensor> inputs = new HashMap<>(4);
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
      inputs.put(
          ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      if (feedsTokenTypes) {
        // one segment per input: all type ids are 0
        inputs.put(
            TOKEN_TYPE_IDS,
            OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[batch * length]), shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
        OnnxValue value = result.get(0);
        FloatBuffer hidden = ((OnnxTensor) value).getFloatBuffer();
        return outputIsPooled
            ? Poolers.rows(hidden, batch, hidden.capacity() / batch, normalize)
            : Poolers.pool(
                hidden,
                batch,
                length,
                hidden.capacity() / (batch * length),
                lengths,
                pooling,
                normalize);
      }
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  /**
   * Frees the session's native memory, unless the JVM is exiting (the process's end frees it). Not
   * to be called while {@link #embed(List)} runs.
   */
  @Override
  public void close() {
    try {
      NativeExitGuard.runtime().release(session::close);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to close the session: " + e.getMessage(), e);
    }
  }
}

package io.batchwise.spark.internal;

import io.batchwise.Batchwise;
import io.batchwise.spark.BatchwiseSpark;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * One Batchwise instance per set of options in this JVM, built on first use and shared by every
 * task the JVM runs; all are closed when the JVM exits. An executor thus loads a model once, keeps
 * one HTTP connection pool and one cache connection, and holds its rate limits across its tasks.
 */
final class ExecutorInstances {
  private static final Map<Map<String, String>, Batchwise> INSTANCES = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorInstances::closeAll, "batchwise-spark-close"));
  }

  private ExecutorInstances() {}

  /**
   * The instance of these options, built with the secrets of this JVM's Spark conf.
   *
   * @param options the spec's options
   * @return the shared instance; never close it
   */
  static Batchwise of(Map<String, String> options) {
    return INSTANCES.computeIfAbsent(Map.copyOf(options), ExecutorInstances::build);
  }

  private static Batchwise build(Map<String, String> options) {
    // the conf's options rank as system properties: below the spec's, above the environment, and,
    // like the environment's, not refused when they belong to a provider or cache this spec does
    // not select
    Properties properties = new Properties();
    properties.putAll(System.getProperties());
    secretsFromSparkConf()
        .forEach((key, value) -> properties.setProperty("batchwise." + key, value));
    return Batchwise.builder().options(options).sources(properties, System.getenv()).build();
  }

  /**
   * The options this executor's Spark conf sets under {@link BatchwiseSpark#SECRET_CONF_PREFIX}.
   */
  private static Map<String, String> secretsFromSparkConf() {
    SparkEnv env = SparkEnv.get();
    Map<String, String> secrets = new HashMap<>();
    if (env != null) {
      for (Tuple2<String, String> entry :
          env.conf().getAllWithPrefix(BatchwiseSpark.SECRET_CONF_PREFIX)) {
        secrets.put(entry._1(), entry._2());
      }
    }
    return secrets;
  }

  private static void closeAll() {
    INSTANCES.values().forEach(Batchwise::close);
    INSTANCES.clear();
  }
}

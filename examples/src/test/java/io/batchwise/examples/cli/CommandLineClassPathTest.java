package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.examples.ExampleApp;
import io.batchwise.examples.Examples;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The command line's class path (this module's run-time dependencies, which its tests' class path
 * holds) carries none of the frameworks of the examples that live in their own modules: Spark and
 * Scala ({@code examples/spark}), LangChain4j and Spring ({@code examples/integrations}). The
 * launcher runs those examples from their modules' own class paths.
 */
class CommandLineClassPathTest {

  @Test
  @DisplayName("no Spark, Scala, LangChain4j or Spring class is on the command line's class path")
  void carriesNoExampleFramework() {
    ClassLoader loader = getClass().getClassLoader();
    for (String type :
        List.of(
            "org/apache/spark/sql/SparkSession",
            "org/apache/spark/SparkContext",
            "scala/Predef",
            "org/apache/parquet/hadoop/ParquetWriter",
            "dev/langchain4j/model/embedding/EmbeddingModel",
            "org/springframework/ai/embedding/EmbeddingModel",
            "io/batchwise/spark/BatchwiseSpark")) {
      assertThat(loader.getResource(type + ".class")).as(type).isNull();
    }
  }

  @Test
  @DisplayName(
      "without examples/spark on the class path, the command line has no spark-embed example")
  void sparkEmbedIsNotAnExampleOfTheCommandLine() {
    assertThat(Examples.all())
        .extracting(ExampleApp::name)
        .doesNotContain("spark-embed", "langchain4j", "spring-ai");
  }
}

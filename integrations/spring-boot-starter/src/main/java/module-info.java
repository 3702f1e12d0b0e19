// Spring and Spring Boot are automatic modules that name themselves in their manifests; Spring AI
// and LangChain4j
// are automatic modules named after their files
/**
 * The Spring Boot starter: a {@code Batchwise} bean configured from {@code batchwise.*} properties,
 * the application's meter and observation registries, a health indicator, and Spring AI's or
 * LangChain4j's {@code EmbeddingModel} when their adapters are present.
 *
 * <p>Exports {@link io.batchwise.spring.boot} and opens it to Spring, which creates the
 * auto-configurations and calls their bean methods by reflection. Every integration it configures
 * is optional ({@code requires static}), as in its POM.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.batchwise.spring.boot {
  requires transitive io.batchwise.core;
  // the auto-configurations' public bean methods take and return Spring's and Boot's types
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.boot;
  requires transitive spring.beans;
  requires transitive spring.context;
  requires transitive spring.core;
  // the health indicator implements Boot's HealthIndicator when spring-boot-health is present
  requires static transitive spring.boot.health;
  requires static io.batchwise.springai;
  requires static spring.ai.model;
  requires static io.batchwise.langchain4j;
  requires static langchain4j.core;

  exports io.batchwise.spring.boot;

  opens io.batchwise.spring.boot;
}

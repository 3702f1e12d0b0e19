package io.batchwise.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that embeds with Batchwise: the starter makes the {@code Batchwise} and
 * {@code Embedder} beans from {@code application.properties}, and {@link FaqService} uses the
 * embedder. Run it with a question as the argument.
 */
@SpringBootApplication
public class SpringBootExampleApp {

  /**
   * Starts the application and answers the question given as arguments.
   *
   * @param args the question, as words
   */
  public static void main(String[] args) {
    try (var context = SpringApplication.run(SpringBootExampleApp.class, args)) {
      String question = args.length == 0 ? "How do I get my money back?" : String.join(" ", args);
      System.out.println(question + " -> " + context.getBean(FaqService.class).answer(question));
    }
  }
}

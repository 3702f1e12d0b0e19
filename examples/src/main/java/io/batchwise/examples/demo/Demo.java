package io.batchwise.examples.demo;

import io.batchwise.EmbedResult;
import io.batchwise.Embedder;
import io.batchwise.index.IndexDocument;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main job of {@code batchwise demo}: index the sample corpus and answer questions whose answer
 * is one known paragraph, asked in other words than the paragraph uses.
 */
public final class Demo {
  /** How many hits each question shows; the expected paragraph must be among them. */
  public static final int TOP_K = 3;

  /**
   * A question and the paragraph that answers it.
   *
   * @param text the question
   * @param expectedId the id of the answering paragraph
   */
  public record Query(String text, String expectedId) {}

  /** The demo's questions. */
  public static final List<Query> QUERIES =
      List.of(
          new Query("How often do I need to feed my sourdough starter?", "cooking/1"),
          new Query("Why do we only ever see one side of the Moon?", "astronomy/1"),
          new Query("How much cash should I keep before putting money into shares?", "finance/1"),
          new Query("Why do my tomatoes crack after heavy rain?", "gardening/1"),
          new Query("What turns a website name into an IP address?", "networking/1"),
          new Query("When is it worth adding an index to a table?", "databases/1"),
          new Query("How were the Hawaiian islands formed?", "geology/1"),
          new Query("Why does water boil at a lower temperature up a mountain?", "chemistry/1"),
          new Query("How can I recover from jet lag faster?", "travel/2"),
          new Query(
              "Which camera setting makes the background softly out of focus?", "photography/2"));

  /**
   * A question's hits.
   *
   * @param query the question
   * @param hits the best paragraphs, best first
   */
  public record Answer(Query query, List<SearchHit> hits) {
    /**
     * Where the expected paragraph ranks.
     *
     * @return its rank from 1, or 0 when it is not among the hits
     */
    public int rankOfExpected() {
      for (int i = 0; i < hits.size(); i++) {
        if (hits.get(i).id().equals(query.expectedId())) {
          return i + 1;
        }
      }
      return 0;
    }
  }

  private Demo() {}

  /**
   * Indexes every paragraph of the sample corpus with one embed call.
   *
   * @param embedder the embedder
   * @return the index and the embed result (usage, failures)
   */
  public static Indexed index(Embedder embedder) {
    List<IndexDocument> docs = new ArrayList<>();
    for (SampleCorpus.Paragraph p : SampleCorpus.paragraphs()) {
      docs.add(new IndexDocument(p.id(), p.text(), Map.of("topic", p.topic(), "text", p.text())));
    }
    VectorIndex index = VectorIndex.create(embedder.modelInfo().dimensions());
    EmbedResult result = index.addBatch(docs, embedder);
    return new Indexed(index, result);
  }

  /**
   * An indexed corpus.
   *
   * @param index the index
   * @param result what embedding it took
   */
  public record Indexed(VectorIndex index, EmbedResult result) {}

  /**
   * Answers every demo question.
   *
   * @param index the corpus index
   * @param embedder the embedder it was built with
   * @return one answer per question, in order
   */
  public static List<Answer> answer(VectorIndex index, Embedder embedder) {
    List<Answer> answers = new ArrayList<>();
    for (Query q : QUERIES) {
      answers.add(new Answer(q, index.search(q.text(), TOP_K, embedder)));
    }
    return answers;
  }
}

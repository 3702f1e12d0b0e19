package io.batchwise.examples.springboot;

import io.batchwise.Embedder;
import java.util.List;
import org.springframework.stereotype.Service;

/** Answers a question with the closest of a few answers, embedded once when the service starts. */
@Service
public class FaqService {
  static final List<String> ANSWERS =
      List.of(
          "Refunds go back to the card you paid with within five working days.",
          "We deliver to every country in the European Union in two to four days.",
          "Reset your password with the link on the sign-in page; we email you a code.",
          "The support line is open on weekdays from nine in the morning to five in the afternoon.");

  private final Embedder embedder;
  private final List<float[]> answers;

  /**
   * Embeds the answers (one Batchwise embedAll: deduplicated, cached, packed).
   *
   * @param embedder the embedder the Batchwise starter makes
   */
  public FaqService(Embedder embedder) {
    this.embedder = embedder;
    this.answers = embedder.embedAll(ANSWERS).vectors();
  }

  /**
   * The answer closest to a question.
   *
   * @param question the question
   * @return the answer whose vector is closest (the model's vectors are unit length, so the dot
   *     product is the cosine)
   */
  public String answer(String question) {
    float[] q = embedder.embed(question);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < answers.size(); i++) {
      double score = 0;
      for (int d = 0; d < q.length; d++) {
        score += q[d] * answers.get(i)[d];
      }
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return ANSWERS.get(best);
  }
}

package io.batchwise.providers.local.internal;

import static io.batchwise.providers.local.internal.LocalTestSupport.cosine;
import static io.batchwise.providers.local.internal.LocalTestSupport.embedOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.index.IndexDocument;
import io.batchwise.index.IndexIdentity;
import io.batchwise.index.SearchHit;
import io.batchwise.index.VectorIndex;
import io.batchwise.spi.InputType;
import io.batchwise.spi.VectorIdentity;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A model configured with e5-style prefixes ({@code "query: "}, {@code "passage: "}) embeds each
 * call with the prefix of its input type, through the real all-MiniLM-L6-v2 model (it takes any
 * prefix): what the provider tokenized and ran is the prefixed text, queries and documents get
 * different vectors, and an index built from documents is searched with queries. That the cache
 * keeps the two apart is {@code InputTypeCacheTest} (examples), with a real cache.
 */
class InputTypePrefixTest {
  private static final Map<String, String> E5_PREFIXES =
      Map.of("local.query-prefix", "query: ", "local.document-prefix", "passage: ");
  private static final String TEXT = "how does a sourdough starter rise";

  @Test
  @DisplayName(
      "a QUERY call tokenizes and runs 'query: ' + text, a DOCUMENT call 'passage: ' + text")
  void eachCallGetsThePrefixOfItsInputType() throws Exception {
    try (LocalEmbeddingProvider p = LocalTestSupport.create(E5_PREFIXES)) {
      HfTokenizer raw = p.rawTokenizer();
      long charsBefore = raw.charsTokenized();
      long runsBefore = raw.tokenizations();
      float[] query = embedOne(p, TEXT, InputType.QUERY);
      // the provider tokenized exactly one text, the query prefix and the text, once
      assertThat(raw.tokenizations() - runsBefore).isEqualTo(1);
      assertThat(raw.charsTokenized() - charsBefore).isEqualTo(("query: " + TEXT).length());

      charsBefore = raw.charsTokenized();
      float[] document = embedOne(p, TEXT, InputType.DOCUMENT);
      assertThat(raw.charsTokenized() - charsBefore).isEqualTo(("passage: " + TEXT).length());

      // and ran the model on those ids: the vectors are the model's for the prefixed texts
      long[] queryIds = raw.ids("query: " + TEXT);
      long[] documentIds = raw.ids("passage: " + TEXT);
      assertThat(queryIds).isNotEqualTo(documentIds);
      assertThat(query).containsExactly(p.model().embed(List.of(queryIds))[0]);
      assertThat(document).containsExactly(p.model().embed(List.of(documentIds))[0]);
      assertThat(cosine(query, document))
          .as("a query and a document of one text differ")
          .isLessThan(0.999);
    }
  }

  @Test
  @DisplayName(
      "the prefixes are in the identity as configured, the model id and index identity match for both types")
  void thePrefixesAreIdentityNotModel() {
    try (LocalEmbeddingProvider p = LocalTestSupport.create(E5_PREFIXES)) {
      assertThat(p.modelInfo().modelId()).isEqualTo("all-minilm-l6-v2");
      VectorIdentity documents = p.identity();
      assertThat(documents.attributes())
          .containsEntry(VectorIdentity.QUERY_PREFIX, "query:")
          .containsEntry(VectorIdentity.DOCUMENT_PREFIX, "passage:");
      VectorIdentity queries = documents.forInputType(InputType.QUERY);
      assertThat(queries.namespace()).isNotEqualTo(documents.namespace());
      // an index records neither input type: built from documents, it matches a query embedder of
      // the model
      assertThat(IndexIdentity.of(queries)).isEqualTo(IndexIdentity.of(documents));
    }
  }

  @Test
  @DisplayName(
      "an index built from documents is searched with queries of the same model: the expected document ranks first")
  void searchEmbedsTheQueryAsAQuery() {
    try (Batchwise bw =
        Batchwise.builder()
            .provider("local")
            .options(E5_PREFIXES)
            .sources(new Properties(), Map.of())
            .build()) {
      VectorIndex index = VectorIndex.create(bw.embedder().modelInfo().dimensions());
      EmbedResult added =
          index.addBatch(
              List.of(
                  IndexDocument.of(
                      "bread",
                      "A sourdough starter is fed flour and water every day so that the dough rises."),
                  IndexDocument.of(
                      "markets",
                      "Stock markets fell sharply after the central bank raised interest rates."),
                  IndexDocument.of(
                      "cats", "Cats sleep for most of the day in a warm and sunny spot.")),
              bw.embedder());
      assertThat(added.allSucceeded()).isTrue();
      List<SearchHit> hits = index.search(TEXT, 3, bw.embedder());
      assertThat(hits).extracting(SearchHit::id).first().isEqualTo("bread");
      // the search used the query's vector, not the document's of the same text
      float[] asQuery = bw.embedder().embedQuery(TEXT);
      float[] asDocument = bw.embedder().embed(TEXT);
      assertThat(hits.get(0).score()).isEqualTo(index.search(asQuery, 1).get(0).score());
      assertThat(index.search(asDocument, 1).get(0).score()).isNotEqualTo(hits.get(0).score());
    }
  }
}

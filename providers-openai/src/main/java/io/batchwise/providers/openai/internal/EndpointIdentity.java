package io.batchwise.providers.openai.internal;

import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.VectorIdentity;
import okhttp3.HttpUrl;

/**
 * The part of where requests go that decides which vectors come back: the base URL's host, port and
 * path (two servers can serve different models under one name), and the Azure deployment. Never the
 * scheme, user info, query or key, which do not change a vector and may be secret.
 */
final class EndpointIdentity {
  private EndpointIdentity() {}

  /**
   * The identity of the vectors an endpoint serves.
   *
   * @param providerId the provider's id
   * @param model the provider's model info
   * @param baseUrl the configured base URL
   * @param azureDeployment the Azure deployment, or null
   * @return the identity with {@link VectorIdentity#ENDPOINT} (and {@link
   *     VectorIdentity#DEPLOYMENT})
   */
  static VectorIdentity of(
      String providerId, ModelInfo model, HttpUrl baseUrl, String azureDeployment) {
    VectorIdentity identity =
        VectorIdentity.of(providerId, model)
            .with(VectorIdentity.ENDPOINT, ConnectionSettings.endpointIdentity(baseUrl));
    return azureDeployment == null
        ? identity
        : identity.with(VectorIdentity.DEPLOYMENT, azureDeployment);
  }
}

package io.braid.server.auth;

import io.vertx.core.buffer.Buffer;

/**
 * What a client presented to authenticate: from CONNECT (user name and password, or a token) or from the handshake's
 * {@code Authorization: Bearer} header. Its {@code toString} never shows a secret.
 *
 * @param clientId the client identifier
 * @param username the CONNECT user name, or null
 * @param password the CONNECT password, or null
 * @param token the CONNECT token, or the handshake's bearer token, or null
 * @param remoteAddress where the connection comes from, for the log
 */
public record Credentials(String clientId, String username, Buffer password, String token, String remoteAddress) {

  @Override
  public String toString() {
    return "Credentials[clientId=" + clientId + ", username=" + username + ", password="
        + (password == null ? "none" : "***") + ", token=" + (token == null ? "none" : "***") + ", remote="
        + remoteAddress + "]";
  }
}

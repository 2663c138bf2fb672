package io.braid.server.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a connected client is, as authentication established it: what ACL rules apply to.
 *
 * @param username the user name (from the users file or the token's user claim), or null when anonymous
 * @param roles the user's roles (from the ACL file or the token's roles claim)
 * @param method how the client authenticated: {@code anonymous}, {@code password} or {@code jwt}
 */
public record Principal(String username, Set<String> roles, String method) {

  public Principal {
    roles = Set.copyOf(roles);
    Objects.requireNonNull(method, "method");
  }

  /** A client that presented no credentials. */
  public static Principal anonymous() {
    return new Principal(null, Set.of(), "anonymous");
  }

  public boolean isAnonymous() {
    return username == null;
  }
}

package io.braid.server.auth;

import io.braid.protocol.message.ReasonCode;
import io.braid.server.config.BrokerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes who a connecting client is, from what it presents, in this order:
 * <ol>
 *   <li>a bearer token (CONNECT's {@code token}, or the handshake's {@code Authorization: Bearer} header): a JWT
 *       checked with {@code vertx-auth-jwt} (HS256 secret and/or RS256 public key, expiry, and the configured issuer
 *       and audience);</li>
 *   <li>a user name and password, checked against the users file off the event loop (hashing is slow on
 *       purpose);</li>
 *   <li>nothing: accepted as anonymous only if anonymous access is on.</li>
 * </ol>
 * A refusal carries its CONNACK reason code and a reason for the log and the client that never holds a secret.
 * Thread safe.
 */
public final class Authenticator {

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private final Vertx vertx;
  private final boolean anonymous;
  private final UsersFile users;
  private final JWTAuth jwt;
  private final BrokerConfig.Jwt jwtConfig;

  private Authenticator(Vertx vertx, boolean anonymous, UsersFile users, JWTAuth jwt, BrokerConfig.Jwt jwtConfig) {
    this.vertx = vertx;
    this.anonymous = anonymous;
    this.users = users;
    this.jwt = jwt;
    this.jwtConfig = jwtConfig;
  }

  /** Builds the authenticator of {@code config}, reading its files (blocking: call at start-up). */
  public static Authenticator create(Vertx vertx, BrokerConfig.Auth config) {
    UsersFile users = config.usersFile().isEmpty() ? null : UsersFile.load(Path.of(config.usersFile()));
    return new Authenticator(vertx, config.anonymous(), users, jwtAuth(vertx, config.jwt()), config.jwt());
  }

  private static JWTAuth jwtAuth(Vertx vertx, BrokerConfig.Jwt config) {
    JWTAuthOptions options = new JWTAuthOptions();
    boolean any = false;
    if (!config.hs256Secret().isEmpty()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hs256Secret()));
      any = true;
    }
    if (!config.rs256PublicKeyFile().isEmpty()) {
      try {
        String pem = Files.readString(Path.of(config.rs256PublicKeyFile()));
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem));
        any = true;
      } catch (IOException e) {
        throw new IllegalArgumentException("auth.jwt.rs256PublicKeyFile: cannot read " + config.rs256PublicKeyFile()
            + ": " + e, e);
      }
    }
    if (!any) {
      return null;
    }
    JWTOptions checks = new JWTOptions();
    if (!config.issuer().isEmpty()) {
      checks.setIssuer(config.issuer());
    }
    if (!config.audience().isEmpty()) {
      checks.setAudience(List.of(config.audience()));
    }
    options.setJWTOptions(checks);
    return JWTAuth.create(vertx, options);
  }

  /** Authenticates; the future completes on an event loop or worker thread, never failed. */
  public Future<AuthResult> authenticate(Credentials credentials) {
    if (credentials.token() != null) {
      return token(credentials.token());
    }
    if (credentials.username() != null) {
      return password(credentials);
    }
    if (anonymous) {
      return Future.succeededFuture(new AuthResult.Accepted(Principal.anonymous()));
    }
    return refused(ReasonCode.NOT_AUTHORIZED, "anonymous access is disabled: send a user name and password or a "
        + "token");
  }

  private Future<AuthResult> token(String token) {
    if (jwt == null) {
      return refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "token authentication is not configured");
    }
    return jwt.authenticate(new TokenCredentials(token)).map(user -> {
      JsonObject claims = user.principal();
      Object name = claims.getValue(jwtConfig.usernameClaim());
      if (!(name instanceof String username) || username.isEmpty()) {
        return (AuthResult) new AuthResult.Refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
            "token has no '" + jwtConfig.usernameClaim() + "' claim naming the user");
      }
      return new AuthResult.Accepted(new Principal(username, roles(claims.getValue(jwtConfig.rolesClaim())), "jwt"));
    }).otherwise(failure -> {
      String reason = tokenRefusal(failure.getMessage());
      log.info("token refused: {} ({})", reason, failure.getMessage());
      return new AuthResult.Refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, reason);
    });
  }

  /**
   * What a client is told about a token the JWT library refused: a fixed phrase, never the library's own text
   * (which may quote the token, or span lines); the detail goes to the log.
   */
  static String tokenRefusal(String detail) {
    String text = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
    if (text.contains("expired")) {
      return "invalid token: expired";
    }
    if (text.contains("issuer")) {
      return "invalid token: wrong issuer";
    }
    if (text.contains("audience")) {
      return "invalid token: wrong audience";
    }
    if (text.contains("signature") || text.contains("signed")) {
      return "invalid token: bad signature";
    }
    return "malformed token";
  }

  private Future<AuthResult> password(Credentials credentials) {
    if (users == null) {
      if (anonymous) {
        // no users to check against: the name proves nothing, so the client gets no more than anonymous rights
        return Future.succeededFuture(new AuthResult.Accepted(Principal.anonymous()));
      }
      return refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "password authentication is not configured");
    }
    Buffer password = credentials.password();
    byte[] bytes = password == null ? new byte[0] : password.getBytes();
    String username = credentials.username();
    return vertx.executeBlocking(() -> users.verify(username, bytes), false).map(ok -> ok
        ? new AuthResult.Accepted(new Principal(username, Set.of(), "password"))
        : new AuthResult.Refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password"));
  }

  private static Set<String> roles(Object claim) {
    Set<String> roles = new HashSet<>();
    if (claim instanceof JsonArray array) {
      for (Object role : array) {
        if (role instanceof String name) {
          roles.add(name);
        }
      }
    } else if (claim instanceof String name) {
      for (String role : name.split("[,\\s]+")) {
        if (!role.isEmpty()) {
          roles.add(role);
        }
      }
    }
    return roles;
  }

  private static Future<AuthResult> refused(int reasonCode, String reason) {
    return Future.succeededFuture(new AuthResult.Refused(reasonCode, reason));
  }
}

package io.braid.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.ReasonCode;
import io.braid.server.config.BrokerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication by token (HS256, RS256), by password and anonymously, and the reason codes of refusals. */
class AuthenticatorTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  private static Vertx vertx;

  @TempDir
  Path directory;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await();
  }

  private static BrokerConfig.Auth auth(boolean anonymous, String usersFile, BrokerConfig.Jwt jwt) {
    return new BrokerConfig.Auth(anonymous, usersFile, jwt, java.util.List.of());
  }

  private static BrokerConfig.Jwt jwt(String secret, String publicKeyFile, String issuer) {
    return new BrokerConfig.Jwt(secret, publicKeyFile, issuer, "", "sub", "roles");
  }

  private static AuthResult authenticate(Authenticator authenticator, Credentials credentials) throws Exception {
    return authenticator.authenticate(credentials).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Credentials token(String token) {
    return new Credentials("c", null, null, token, "127.0.0.1");
  }

  private static String sign(String algorithm, String key, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(key)));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
  }

  @Test
  void acceptsAnHs256TokenAndTakesTheUserAndRolesFromItsClaims() throws Exception {
    Authenticator authenticator = Authenticator.create(vertx, auth(false, "", jwt(SECRET, "", "")));
    String token = sign("HS256", SECRET, new JsonObject().put("sub", "dana")
        .put("roles", new JsonArray().add("operators").add("viewers")));

    AuthResult result = authenticate(authenticator, token(token));

    assertThat(result).isEqualTo(new AuthResult.Accepted(new Principal("dana", Set.of("operators", "viewers"),
        "jwt")));
  }

  @Test
  void refusesABadTokenWithAFixedReasonNeverTheParsersText() throws Exception {
    Authenticator authenticator = Authenticator.create(vertx, auth(false, "", jwt(SECRET, "", "braid-tests")));
    long now = System.currentTimeMillis() / 1000;

    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put(sign("HS256", "another-secret-of-at-least-32-characters", new JsonObject().put("sub", "x")
        .put("iss", "braid-tests")), "invalid token: bad signature");
    reasons.put(sign("HS256", SECRET, new JsonObject().put("sub", "x").put("iss", "braid-tests")
        .put("exp", now - 60)), "invalid token: expired");
    reasons.put(sign("HS256", SECRET, new JsonObject().put("sub", "x").put("iss", "someone-else")),
        "invalid token: wrong issuer");
    reasons.put("not.a.token", "malformed token");
    reasons.put("x\ny", "malformed token");

    for (Map.Entry<String, String> bad : reasons.entrySet()) {
      AuthResult result = authenticate(authenticator, token(bad.getKey()));
      assertThat(result).isInstanceOf(AuthResult.Refused.class);
      assertThat(((AuthResult.Refused) result).reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(((AuthResult.Refused) result).reason()).as("reason for %s", bad.getKey())
          .isEqualTo(bad.getValue());
    }
  }

  @Test
  void acceptsAnRs256TokenCheckedWithThePublicKeyFile() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Path publicKey = directory.resolve("jwt.pub.pem");
    Files.writeString(publicKey, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    Authenticator authenticator = Authenticator.create(vertx, auth(false, "", jwt("", publicKey.toString(), "")));

    String token = sign("RS256", pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
        new JsonObject().put("sub", "erin"));

    assertThat(authenticate(authenticator, token(token)))
        .isEqualTo(new AuthResult.Accepted(new Principal("erin", Set.of(), "jwt")));
  }

  @Test
  void aTokenWithoutTheUserClaimIsRefused() throws Exception {
    Authenticator authenticator = Authenticator.create(vertx, auth(false, "", jwt(SECRET, "", "")));

    AuthResult result = authenticate(authenticator, token(sign("HS256", SECRET, new JsonObject().put("x", 1))));

    assertThat(((AuthResult.Refused) result).reason()).contains("'sub' claim");
  }

  @Test
  void aTokenIsRefusedWhenNoTokenAuthenticationIsConfigured() throws Exception {
    Authenticator authenticator = Authenticator.create(vertx, auth(true, "", jwt("", "", "")));

    assertThat(authenticate(authenticator, token("a.b.c"))).isInstanceOf(AuthResult.Refused.class);
  }

  @Test
  void checksPasswordsAgainstTheUsersFile() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "frank:" + PasswordHash.create("pw", 100).encoded() + "\n");
    Authenticator authenticator = Authenticator.create(vertx, auth(false, users.toString(), jwt("", "", "")));

    assertThat(authenticate(authenticator, new Credentials("c", "frank", Buffer.buffer("pw"), null, "x")))
        .isEqualTo(new AuthResult.Accepted(new Principal("frank", Set.of(), "password")));
    assertThat(authenticate(authenticator, new Credentials("c", "frank", Buffer.buffer("no"), null, "x")))
        .isEqualTo(new AuthResult.Refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password"));
  }

  @Test
  void aUserNameProvesNothingWithoutAUsersFile() throws Exception {
    Authenticator authenticator = Authenticator.create(vertx, auth(true, "", jwt("", "", "")));

    AuthResult result = authenticate(authenticator, new Credentials("c", "admin", Buffer.buffer("x"), null, "x"));

    assertThat(result).isEqualTo(new AuthResult.Accepted(Principal.anonymous()));
  }

  @Test
  void noCredentialsAreAnonymousOnlyWhenAnonymousAccessIsOn() throws Exception {
    Credentials none = new Credentials("c", null, null, null, "x");

    assertThat(authenticate(Authenticator.create(vertx, auth(true, "", jwt("", "", ""))), none))
        .isEqualTo(new AuthResult.Accepted(Principal.anonymous()));
    assertThat(authenticate(Authenticator.create(vertx, auth(false, "", jwt("", "", ""))), none))
        .extracting(result -> ((AuthResult.Refused) result).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
  }

  @Test
  void credentialsNeverPrintTheirSecrets() {
    Credentials credentials = new Credentials("c", "alice", Buffer.buffer("hunter2"), "eyJ.secret.token", "x");

    assertThat(credentials.toString()).doesNotContain("hunter2").doesNotContain("eyJ.secret.token");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

package io.braid.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A salted password hash in Mosquitto's password file format, so that files written by {@code mosquitto_passwd}
 * work unchanged and the other way round:
 * <ul>
 *   <li>{@code $7$iterations$salt$hash}: PBKDF2-HMAC-SHA512 (Mosquitto 2's default), salt and 64-byte hash in
 *       base64;</li>
 *   <li>{@code $6$salt$hash}: one SHA-512 of the password followed by the salt (Mosquitto 1.x).</li>
 * </ul>
 * Verification compares in constant time. Immutable; safe for any thread.
 */
public final class PasswordHash {

  /** Iterations {@link #create} uses: PBKDF2 costs one HMAC per iteration, at every CONNECT. */
  public static final int DEFAULT_ITERATIONS = 10_000;
  private static final int SALT_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Parses {@code $7$...} or {@code $6$...}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static PasswordHash parse(String encoded) {
    String[] parts = encoded.split("\\$", -1);
    try {
      if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals("7")) {
        int iterations = Integer.parseInt(parts[2]);
        if (iterations < 1) {
          throw new IllegalArgumentException("iterations must be positive");
        }
        return new PasswordHash(iterations, Base64.getDecoder().decode(parts[3]), Base64.getDecoder().decode(parts[4]));
      }
      if (parts.length == 4 && parts[0].isEmpty() && parts[1].equals("6")) {
        return new PasswordHash(0, Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid $7$ or $6$ hash: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("not a $7$ (PBKDF2-SHA512) or $6$ (SHA-512) hash; plain-text passwords "
        + "are not accepted: hash them with 'braid-server passwd' or mosquitto_passwd");
  }

  /** A new PBKDF2-SHA512 hash of {@code password} with a random salt. */
  public static PasswordHash create(String password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, pbkdf2(password.getBytes(StandardCharsets.UTF_8), salt, iterations));
  }

  /** Whether {@code password} (UTF-8 bytes) is the one hashed. Costs {@code iterations} HMACs: not on an event loop. */
  public boolean matches(byte[] password) {
    byte[] candidate = iterations == 0 ? sha512(password, salt) : pbkdf2(password, salt, iterations);
    return MessageDigest.isEqual(candidate, hash);
  }

  /** The encoded form, as written in a password file. */
  public String encoded() {
    Base64.Encoder base64 = Base64.getEncoder();
    return iterations == 0 ? "$6$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash)
        : "$7$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
  }

  @Override
  public String toString() {
    return iterations == 0 ? "PasswordHash[SHA-512]" : "PasswordHash[PBKDF2-SHA512, " + iterations + " iterations]";
  }

  /**
   * PBKDF2-HMAC-SHA512 (RFC 8018 §5.2) over the password's bytes as they are. The JDK's
   * {@code PBKDF2WithHmacSHA512} takes characters and encodes them itself, which would change a password that is
   * not valid UTF-8; Mosquitto hashes the raw bytes.
   */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      // an empty password is a valid key for HMAC, but not for SecretKeySpec: one zero byte is the same HMAC key
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
      // one block: the hash is exactly one HMAC-SHA512 output long
      mac.update(salt);
      mac.update(new byte[] {0, 0, 0, 1});
      byte[] u = mac.doFinal();
      byte[] result = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < result.length; j++) {
          result[j] ^= u[j];
        }
      }
      return result;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is required of every JDK", e);
    }
  }

  private static byte[] sha512(byte[] password, byte[] salt) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      digest.update(password);
      digest.update(salt);
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-512 is required of every JDK", e);
    }
  }
}

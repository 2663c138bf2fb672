package io.braid.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto's password hashes. The vectors were computed with Python's {@code hashlib} (an implementation nobody
 * here wrote), and {@code mosquitto_passwd} itself writes the file of the interoperability test.
 */
class PasswordHashTest {

  /** PBKDF2-HMAC-SHA512("wonderland", salt 00..0b, 101 iterations), as hashlib computes it. */
  static final String PBKDF2_VECTOR = "$7$101$AAECAwQFBgcICQoL$2eMONr64To5LAqyW6xIY9PmHI/WwGCZRtsfW0qJLBdsaRGi54cdRGzRRdkQ"
      + "yo/4iLlJ24dNbVS9Ul3LeDThwTQ==";
  /** SHA-512("wonderland" + salt 00..0b). */
  static final String SHA512_VECTOR = "$6$AAECAwQFBgcICQoL$lJwmsvc1LB6jj/K2KqNEsrEAaaCCro8H8y3qAW+kYLDL7pOLfJmciTEYXGY61"
      + "tr0J/FMvaNZo3NKguLilBiqdA==";
  /** PBKDF2 of the bytes ff fe, which are not UTF-8: hashed as they are. */
  static final String RAW_BYTES_VECTOR = "$7$3$AAECAwQFBgcICQoL$hRBNOAhzcLwiZO5Wr9iXAddl3Of6AxeukasAyQbTV0IUQ7584x0P+yMe8Vur"
      + "1d/z4rPy50O/+P8qX7kVfhYoSw==";

  @TempDir
  Path directory;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verifiesAPbkdf2Sha512HashComputedElsewhere() {
    PasswordHash hash = PasswordHash.parse(PBKDF2_VECTOR);

    assertThat(hash.matches(utf8("wonderland"))).isTrue();
    assertThat(hash.matches(utf8("Wonderland"))).isFalse();
    assertThat(hash.matches(new byte[0])).isFalse();
  }

  @Test
  void verifiesAMosquitto1Sha512Hash() {
    PasswordHash hash = PasswordHash.parse(SHA512_VECTOR);

    assertThat(hash.matches(utf8("wonderland"))).isTrue();
    assertThat(hash.matches(utf8("wonderlan"))).isFalse();
  }

  @Test
  void hashesThePasswordBytesAsTheyAreEvenWhenTheyAreNotUtf8() {
    assertThat(PasswordHash.parse(RAW_BYTES_VECTOR).matches(new byte[] {(byte) 0xFF, (byte) 0xFE})).isTrue();
  }

  @Test
  void aCreatedHashVerifiesItsPasswordAndEncodesRoundTrip() {
    PasswordHash created = PasswordHash.create("s3cret", 1_000);

    PasswordHash parsed = PasswordHash.parse(created.encoded());

    assertThat(created.encoded()).startsWith("$7$1000$");
    assertThat(parsed.matches(utf8("s3cret"))).isTrue();
    assertThat(parsed.matches(utf8("s3cret "))).isFalse();
  }

  @Test
  void twoHashesOfOnePasswordDifferBySalt() {
    assertThat(PasswordHash.create("same", 10).encoded()).isNotEqualTo(PasswordHash.create("same", 10).encoded());
  }

  @Test
  void refusesPlainTextAndUnknownFormatsSayingHowToHash() {
    assertThatThrownBy(() -> PasswordHash.parse("hunter2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain-text passwords are not accepted");
    assertThatThrownBy(() -> PasswordHash.parse("$7$x$AAAA$AAAA")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasswordHash.parse("$7$10$not base64!$AAAA")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsAFileWrittenByMosquittoPasswd() throws Exception {
    Path file = directory.resolve("passwd");
    Process process = new ProcessBuilder("mosquitto_passwd", "-c", "-b", file.toString(), "dora", "explorer")
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();

    UsersFile users = UsersFile.load(file);

    assertThat(users.size()).isEqualTo(1);
    assertThat(users.verify("dora", utf8("explorer"))).isTrue();
    assertThat(users.verify("dora", utf8("explorers"))).isFalse();
    assertThat(users.verify("boots", utf8("explorer"))).isFalse();
  }

  @Test
  void aUsersFileNamesTheLineOfABadEntry() throws Exception {
    Path file = directory.resolve("users");
    Files.write(file, List.of("# users", "", "alice:" + PBKDF2_VECTOR, "bob"));

    assertThatThrownBy(() -> UsersFile.load(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 4").hasMessageContaining("username:hash");
  }
}

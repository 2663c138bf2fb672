package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Any message, every optional field absent or present, survives both codecs unchanged; and no input,
 * random or a damaged encoding, makes a decoder throw anything but a MalformedException.
 */
class MessageRoundTripPropertyTest {
  private final BinaryMessageCodec binary = BinaryMessageCodec.INSTANCE;
  private final JsonMessageCodec json = JsonMessageCodec.INSTANCE;

  @Provide
  Arbitrary<BraidMessage> messages() {
    return MessageArbitraries.messages();
  }

  @Property(tries = 700)
  void binaryRoundTripGivesTheSameMessage(@ForAll("messages") BraidMessage message) {
    Buffer encoded = binary.encode(message);
    assertThat(encoded.length()).isEqualTo(binary.encodedSize(message));
    assertThat(binary.decode(encoded)).isEqualTo(message);
  }

  @Property(tries = 700)
  void jsonRoundTripGivesTheSameMessage(@ForAll("messages") BraidMessage message) {
    assertThat(json.decode(json.encode(message))).isEqualTo(message);
  }

  @Property(tries = 300)
  void aMessageDecodesFromARegionOfALargerBuffer(@ForAll("messages") BraidMessage message,
      @ForAll @Size(max = 8) byte[] before, @ForAll @Size(max = 8) byte[] after) {
    Buffer buffer = Buffer.buffer(before);
    binary.encode(message, buffer);
    int end = buffer.length();
    buffer.appendBytes(after);
    assertThat(binary.decode(buffer, before.length, end)).isEqualTo(message);
  }

  @Property(tries = 2000)
  void randomBytesOnlyFailAsMalformed(@ForAll @IntRange(min = 0, max = 16) int type, @ForAll @Size(max = 40) byte[] rest) {
    Buffer input = Buffer.buffer().appendByte((byte) type).appendBytes(rest);
    decodeBinaryOrMalformed(input);
  }

  @Property(tries = 700)
  void damagedEncodingsOnlyFailAsMalformed(@ForAll("messages") BraidMessage message,
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte value, @ForAll @IntRange(min = 0, max = 2) int damage) {
    byte[] bytes = binary.encode(message).getBytes();
    if (bytes.length < 2) {
      return;
    }
    int at = 1 + position % (bytes.length - 1);
    Buffer damaged;
    switch (damage) {
      case 0: // change a byte
        bytes[at] = value;
        damaged = Buffer.buffer(bytes);
        break;
      case 1: // drop a byte
        damaged = Buffer.buffer(bytes).slice(0, at).copy().appendBuffer(Buffer.buffer(bytes).slice(at + 1, bytes.length));
        break;
      default: // insert a byte
        damaged = Buffer.buffer(bytes).slice(0, at).copy().appendByte(value).appendBuffer(Buffer.buffer(bytes).slice(at, bytes.length));
    }
    BraidMessage decoded = decodeBinaryOrMalformed(damaged);
    if (decoded != null) {
      // Whatever decodes is a valid message that encodes and decodes to itself.
      assertThat(binary.decode(binary.encode(decoded))).isEqualTo(decoded);
    }
  }

  @Property(tries = 700)
  void damagedJsonOnlyFailsAsMalformed(@ForAll("messages") BraidMessage message,
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll("jsonCharacters") char value) {
    String text = json.encode(message).toString(StandardCharsets.UTF_8);
    int at = position % text.length();
    String damaged = text.substring(0, at) + value + text.substring(at + 1);
    try {
      BraidMessage decoded = json.decode(Buffer.buffer(damaged.getBytes(StandardCharsets.UTF_8)));
      assertThat(json.decode(json.encode(decoded))).isEqualTo(decoded);
    } catch (MalformedException expected) {
      assertThat(expected.field()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<Character> jsonCharacters() {
    return Arbitraries.of('{', '}', '[', ']', '"', ':', ',', '0', '7', '-', 'x', ' ', '\\', 'n', 't', 'e', '.');
  }

  private BraidMessage decodeBinaryOrMalformed(Buffer input) {
    try {
      return binary.decode(input);
    } catch (MalformedException expected) {
      assertThat(expected.field()).isNotEmpty();
      assertThat(expected.reason()).isNotEmpty();
      return null;
    }
  }
}

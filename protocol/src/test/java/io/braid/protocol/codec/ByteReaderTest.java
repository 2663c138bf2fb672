package io.braid.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The binary primitives as {@link ByteReader} reads them: varints (unsigned LEB128, at most 5 bytes
 * and 32 bits), length-prefixed UTF-8 strings and byte slices. Every failure is a
 * {@link MalformedException} naming the field and the broken rule.
 */
class ByteReaderTest {

  static Stream<Arguments> varints() {
    return Stream.of(
        Arguments.of("00", 0L), // smallest
        Arguments.of("01", 1L),
        Arguments.of("7f", 127L), // largest in one byte
        Arguments.of("80 01", 128L), // smallest in two bytes: low group 0 with continuation, then 1
        Arguments.of("ac 02", 300L), // 0101100 | 0000010 << 7
        Arguments.of("ff 7f", 16_383L), // largest in two bytes
        Arguments.of("80 80 01", 16_384L),
        Arguments.of("ff ff 03", 65_535L),
        Arguments.of("ff ff ff 7f", 268_435_455L), // largest in four bytes
        Arguments.of("80 80 80 80 01", 268_435_456L), // smallest in five bytes
        Arguments.of("ff ff ff ff 07", 2_147_483_647L), // 2^31-1, the largest stream id
        Arguments.of("80 80 80 80 08", 2_147_483_648L), // 2^31
        Arguments.of("ff ff ff ff 0f", 4_294_967_295L)); // 2^32-1, the largest varint
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("varints")
  void varintIsLittleEndianBase128(String hex, long value) {
    ByteReader in = new ByteReader(Hex.buffer(hex + " 99")); // a byte of the next field follows
    assertThat(in.readVarint("test.value")).isEqualTo(value);
    assertThat(in.position()).isEqualTo(Hex.bytes(hex).length);
    assertThat(in.readU8("test.next")).isEqualTo(0x99);
    assertThat(in.hasRemaining()).isFalse();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("varints")
  void everyCutOfAVarintIsTruncated(String hex, long value) {
    byte[] bytes = Hex.bytes(hex);
    for (int cut = 0; cut < bytes.length; cut++) {
      ByteReader in = new ByteReader(Buffer.buffer(bytes).slice(0, cut));
      assertThatThrownBy(() -> in.readVarint("test.value"))
          .isInstanceOfSatisfying(MalformedException.class, e -> {
            assertThat(e.field()).isEqualTo("test.value");
            assertThat(e.reason()).isEqualTo("truncated varint");
          });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80 80 80 80 80 01", // 6 bytes: the fifth still has the continuation bit
      "ff ff ff ff ff 7f",
      "80 80 80 80 80 80 80 80 80 00"})
  void varintLongerThanFiveBytesIsRejected(String hex) {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer(hex)).readVarint("frame.length"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("frame.length: varint longer than 5 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80 80 80 80 10", // 2^32
      "ff ff ff ff 1f", // 2^33-1
      "ff ff ff ff 7f"}) // 2^35-1, the most 5 bytes can hold
  void varintLargerThan32BitsIsRejected(String hex) {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer(hex)).readVarint("frame.length"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("frame.length: varint larger than 32 bits");
  }

  @Test
  void varintMustLieInItsRange() {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("ac 02")).readVarint("test.small", 0, 255)) // 300
        .isInstanceOf(MalformedException.class)
        .hasMessage("test.small: value 300 outside 0..255");
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("00")).readVarint("test.positive", 1, 10))
        .hasMessage("test.positive: value 0 outside 1..10");
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("80 80 80 80 08")).readVarint("test.id", 0, Integer.MAX_VALUE)) // 2^31
        .hasMessage("test.id: value 2147483648 outside 0..2147483647");
    assertThat(new ByteReader(Hex.buffer("ff 01")).readVarint("test.small", 0, 255)).isEqualTo(255);
  }

  @Test
  void u8ReadsOneUnsignedByte() {
    ByteReader in = new ByteReader(Hex.buffer("ff 00"));
    assertThat(in.readU8("a")).isEqualTo(255);
    assertThat(in.readU8("b")).isEqualTo(0);
    assertThatThrownBy(() -> in.readU8("frame.type")).hasMessage("frame.type: truncated");
  }

  @Test
  void stringIsAVarintLengthThenUtf8() {
    assertThat(new ByteReader(Hex.buffer("03 616263")).readString("s")).isEqualTo("abc");
    assertThat(new ByteReader(Hex.buffer("00")).readString("s")).isEmpty();
    assertThat(new ByteReader(Hex.buffer("02 c3a9")).readString("s")).isEqualTo("é");
    assertThat(new ByteReader(Hex.buffer("04 f09f9880")).readString("s")).isEqualTo("😀");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "01 80", // a continuation byte alone
      "01 c3", // a two-byte sequence cut short
      "02 c3 28", // lead byte followed by a non-continuation
      "02 c0 af", // overlong encoding of '/'
      "03 ed a0 80", // UTF-16 surrogate D800
      "04 f4 90 80 80", // above U+10FFFF
      "01 ff"})
  void stringWithBadUtf8IsRejected(String hex) {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer(hex)).readString("GOAWAY.reason"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("GOAWAY.reason: not valid UTF-8");
  }

  @Test
  void stringLengthPastTheEndIsRejected() {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("05 6162")).readString("GOAWAY.reason")) // 5 declared, 2 present
        .isInstanceOf(MalformedException.class)
        .hasMessage("GOAWAY.reason: length 5 past the end (2 bytes left)");
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("ff ff ff ff 0f")).readString("GOAWAY.reason")) // 2^32-1 declared
        .hasMessage("GOAWAY.reason: length 4294967295 past the end (0 bytes left)");
  }

  @Test
  void stringLengthMustBeAWholeVarint() {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("80")).readString("GOAWAY.reason"))
        .hasMessage("GOAWAY.reason: truncated varint");
  }

  @Test
  void bytesAreASliceOfTheInputNotACopy() {
    Buffer input = Hex.buffer("03 616263 ff");
    Buffer bytes = new ByteReader(input).readBytes("PUBLISH.payload");
    assertThat(Hex.hex(bytes)).isEqualTo("616263");
    input.setByte(1, (byte) 'x');
    assertThat(bytes.toString()).isEqualTo("xbc");
  }

  @Test
  void bytesLengthPastTheEndIsRejected() {
    assertThatThrownBy(() -> new ByteReader(Hex.buffer("04 616263")).readBytes("PUBLISH.payload"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("PUBLISH.payload: length 4 past the end (3 bytes left)");
  }

  @Test
  void readerNeverReadsPastTheEndOfItsRegion() {
    Buffer buffer = Hex.buffer("07 80 01 02 03");
    ByteReader in = new ByteReader(buffer, 1, 2); // only the 80: a varint cut short by the region
    assertThat(in.remaining()).isEqualTo(1);
    assertThatThrownBy(() -> in.readVarint("v")).hasMessage("v: truncated varint");
    assertThatThrownBy(() -> new ByteReader(buffer, 0, 3).readBytes("b")).hasMessage("b: length 7 past the end (2 bytes left)");
  }

  @Test
  void skipMovesPastBytesInsideTheRegionOnly() {
    ByteReader in = new ByteReader(Hex.buffer("01 02 03"));
    in.skip(2, "x");
    assertThat(in.position()).isEqualTo(2);
    assertThatThrownBy(() -> in.skip(2, "frame.length")).hasMessage("frame.length: length 2 past the end (1 bytes left)");
    assertThat(Hex.hex(in.readRest())).isEqualTo("03");
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void malformedExceptionHasNoStackTrace() {
    MalformedException e = new MalformedException("f", "r");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("f: r");
  }

  @Test
  void fiveByteVarintsCoverEveryBitOfTheLastGroup() {
    // The fifth byte carries bits 28-31: values 0x00-0x0f are in range, 0x10 and up are not.
    IntStream.rangeClosed(0, 0x7f).forEach(last -> {
      ByteReader in = new ByteReader(Hex.buffer(String.format("80 80 80 80 %02x", last)));
      if (last <= 0x0f) {
        assertThat(in.readVarint("v")).isEqualTo((long) last << 28);
      } else {
        assertThatThrownBy(() -> in.readVarint("v")).hasMessage("v: varint larger than 32 bits");
      }
    });
  }
}

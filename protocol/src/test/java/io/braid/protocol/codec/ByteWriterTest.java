package io.braid.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The binary primitives as {@link ByteWriter} writes them, byte for byte. */
class ByteWriterTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0, 00",
      "1, 01",
      "127, 7f", // largest in one byte
      "128, 8001", // low group 0 with continuation bit, then 1
      "300, ac02",
      "16383, ff7f",
      "16384, 808001",
      "1048576, 808040", // 2^20, the default max frame payload
      "2147483647, ffffffff07", // 2^31-1
      "4294967295, ffffffff0f"}) // 2^32-1
  void varintIsLittleEndianBase128(long value, String hex) {
    assertThat(Hex.hex(ByteWriter.writeVarint(Buffer.buffer(), value))).isEqualTo(hex);
    assertThat(ByteWriter.varintSize(value)).isEqualTo(hex.length() / 2);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 4_294_967_296L, Long.MAX_VALUE, Long.MIN_VALUE})
  void varintOutside32UnsignedBitsIsRefused(long value) {
    assertThatThrownBy(() -> ByteWriter.writeVarint(Buffer.buffer(), value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("varint must be 0..2^32-1, was " + value);
    assertThatThrownBy(() -> ByteWriter.varintSize(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesAppendToTheEnd() {
    Buffer out = Hex.buffer("ee");
    ByteWriter.writeU8(out, 0xff);
    ByteWriter.writeString(out, "é"); // length 2, then c3 a9
    ByteWriter.writeBytes(out, Hex.buffer("0102"));
    ByteWriter.writeString(out, "");
    assertThat(Hex.hex(out)).isEqualTo("ee" + "ff" + "02c3a9" + "020102" + "00");
  }
}

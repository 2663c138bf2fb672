package io.braid.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FrameDecoder#unmaskingInPlace}: payloads whole in one read are unmasked where they lie. */
class InPlaceFrameDecoderTest {
  // RFC 6455 §5.7: a single-frame masked text message "Hello", key 37fa213d.
  private static final String MASKED_HELLO = "818537fa213d7f9f4d5158";

  private final List<WsFrame> frames = new ArrayList<>();
  private final FrameDecoder decoder = FrameDecoder.unmaskingInPlace(Role.SERVER, WsLimits.DEFAULT, frames::add);

  private static Buffer hex(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex));
  }

  @Test
  void payloadWholeInOneReadIsASliceOfThatRead() {
    Buffer read = hex(MASKED_HELLO);
    decoder.decode(read);

    assertThat(frames).singleElement().satisfies(f -> assertThat(f.payload().toString()).isEqualTo("Hello"));
    // Unmasked in place: the read now holds the clear payload behind the header.
    assertThat(read.getString(6, 11)).isEqualTo("Hello");
    read.setByte(6, (byte) 'J');
    assertThat(frames.get(0).payload().toString()).isEqualTo("Jello");
  }

  @Test
  void payloadSplitAcrossReadsIsCopiedAndLeavesEarlierReadsAlone() {
    Buffer first = hex(MASKED_HELLO.substring(0, 16));
    Buffer second = hex(MASKED_HELLO.substring(16));
    decoder.decode(first);
    decoder.decode(second);

    assertThat(frames).singleElement().satisfies(f -> assertThat(f.payload().toString()).isEqualTo("Hello"));
    first.setByte(6, (byte) 0);
    assertThat(frames.get(0).payload().toString()).isEqualTo("Hello");
  }

  @Test
  void invalidUtf8UnmaskedInPlaceFailsWith1007() {
    // Masked text frame of one byte 0xFF (key 00000000): never valid UTF-8.
    assertThatThrownBy(() -> decoder.decode(hex("818100000000ff")))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> {
          assertThat(e.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
          assertThat(e.reason()).isEqualTo("text message is not valid UTF-8");
        });
  }

  @Test
  void closeFrameUnmaskedInPlaceIsValidated() {
    // Masked close frame with code 1005 (reserved, never on the wire), key 00000000.
    assertThatThrownBy(() -> decoder.decode(hex("888200000000" + "03ed")))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> {
          assertThat(e.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
          assertThat(e.reason()).isEqualTo("invalid close code 1005");
        });
  }

  @Test
  void validCloseFrameUnmaskedInPlaceCarriesCodeAndReason() {
    // Masked close frame 1000 "ok", key 00000000.
    decoder.decode(hex("888400000000" + "03e86f6b"));
    assertThat(CloseReason.parse(frames.get(0).payload())).isEqualTo(new CloseReason(1000, "ok"));
  }
}

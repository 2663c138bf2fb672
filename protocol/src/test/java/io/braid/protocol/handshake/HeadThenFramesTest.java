package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Hex;
import io.braid.protocol.testing.Splits;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.WsFrame;
import io.braid.protocol.ws.WsLimits;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client may send its first frames right behind the request head, in the same read: the parser
 * stops exactly at the end of the head and the rest reaches the frame decoder untouched.
 */
class HeadThenFramesTest {
  private static final String FRAMES = "81 85 37fa213d 7f9f4d5158" // masked "Hello" (RFC 6455 §5.7)
      + "89 80 01020304"; // masked empty ping

  @Test
  void bytesAfterTheHeadReachTheFrameDecoderUntouchedWhateverTheReads() {
    byte[] head = Request.rfcSample().bytes();
    byte[] frames = Hex.bytes(FRAMES);
    byte[] stream = Buffer.buffer(head).appendBytes(frames).getBytes();

    Splits.of(stream).forEach(split -> {
      HttpHeadParser parser = HttpHeadParser.forRequest(HttpHeadParser.DEFAULT_MAX_HEAD_SIZE, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
      List<WsFrame> decoded = new ArrayList<>();
      FrameDecoder decoder = new FrameDecoder(Role.SERVER, WsLimits.DEFAULT, decoded::add);
      Buffer leftover = Buffer.buffer();
      boolean inHead = true;
      for (int i = 0; i < split.pieces().size(); i++) {
        Buffer piece = split.pieces().get(i);
        if (inHead) {
          int end = parser.parse(piece);
          if (end < 0) {
            continue;
          }
          inHead = false;
          assertThat(split.starts()[i] + end).as("end of head, split into %s", split).isEqualTo(head.length);
          piece = piece.slice(end, piece.length());
        }
        leftover.appendBuffer(piece);
        decoder.decode(piece);
      }

      assertThat(inHead).isFalse();
      assertThat(Hex.hex(leftover)).isEqualTo(Hex.hex(frames));
      assertThat(decoded).extracting(f -> f.opcode() + " " + f.payload().toString()).containsExactly("1 Hello", "9 ");
    });
  }
}

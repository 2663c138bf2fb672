package io.braid.protocol.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same bad value gets the same error code in both frame codecs: a client learns one answer per mistake. */
class CodecAgreementTest {

  private static final BinaryFrameCodec BINARY = new BinaryFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());
  private static final JsonFrameCodec JSON = new JsonFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());

  static Stream<Arguments> sameValueInBothCodecs() {
    return Stream.of(
        Arguments.of("00 20 03 04 ff07", "{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"maxFramePayload\":1023}}"),
        Arguments.of("00 20 02 01 00", "{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":0}}"),
        Arguments.of("00 20 02 02 00",
            "{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialConnectionWindow\":0}}"),
        Arguments.of("00 30 01 00", "{\"stream\":0,\"frame\":\"window_update\",\"increment\":0}"),
        Arguments.of("8080808008 00 00", "{\"stream\":2147483648,\"message\":{}}"),
        Arguments.of("00 40 07 8080808008 00 00",
            "{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":2147483648,\"error\":\"no_error\"}"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("sameValueInBothCodecs")
  void aValueOutOfItsRangeIsAProtocolErrorInBothCodecs(String hex, String json) {
    long binaryCode = errorCode(() -> BINARY.decode(Hex.buffer(hex), new ArrayList<StreamFrame>()::add));
    long jsonCode = errorCode(() -> JSON.decode(Buffer.buffer(json)));

    assertThat(ErrorCode.name(binaryCode)).isEqualTo(ErrorCode.name(jsonCode)).isEqualTo("protocol_error");
  }

  private static long errorCode(Runnable decode) {
    List<StreamLayerException> thrown = new ArrayList<>();
    try {
      decode.run();
    } catch (StreamLayerException e) {
      thrown.add(e);
    }
    assertThat(thrown).as("a stream layer error").hasSize(1);
    return thrown.get(0).errorCode();
  }
}

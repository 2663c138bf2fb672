package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both codecs against every shared vector: the hex and the JSON of a vector decode to the same
 * expected record, and each codec encodes that record back to its form of the vector.
 */
class MessageVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BinaryMessageCodec binary = BinaryMessageCodec.INSTANCE;
  private final JsonMessageCodec json = JsonMessageCodec.INSTANCE;

  static List<Vectors.Vector> vectors() {
    return Vectors.all();
  }

  @Test
  void everyVectorFileHasAnExpectedRecordAndBothForms() {
    assertThat(Vectors.fileNames()).containsExactlyInAnyOrderElementsOf(Vectors.EXPECTED.keySet());
    for (Vectors.Vector v : vectors()) {
      assertThat(v.binary()).as(v.name()).isNotEmpty();
    }
  }

  @Test
  void everyMessageTypeHasAVector() {
    Set<MessageType> covered = Vectors.EXPECTED.values().stream().map(BraidMessage::type)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(MessageType.class)));
    assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void binaryDecodesToTheExpectedRecord(Vectors.Vector v) {
    assertThat(binary.decode(Buffer.buffer(v.binary()))).isEqualTo(v.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void jsonDecodesToTheExpectedRecord(Vectors.Vector v) {
    assertThat(json.decode(Buffer.buffer(v.json().getBytes(StandardCharsets.UTF_8)))).isEqualTo(v.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void binaryEncodesExactlyTheVectorBytes(Vectors.Vector v) {
    assertThat(Hex.hex(binary.encode(v.expected()))).isEqualTo(Hex.hex(v.binary()));
    assertThat(binary.encodedSize(v.expected())).isEqualTo(v.binary().length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void jsonEncodesTheVectorObject(Vectors.Vector v) throws Exception {
    Buffer encoded = json.encode(v.expected());
    JsonNode actual = JSON.readTree(encoded.getBytes());
    assertThat(actual).isEqualTo(JSON.readTree(v.json()));
    assertThat(json.decode(encoded)).isEqualTo(v.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodeAppendsAfterWhatTheBufferHolds(Vectors.Vector v) {
    Buffer out = Buffer.buffer("prefix");
    binary.encode(v.expected(), out);
    assertThat(Hex.hex(out)).isEqualTo(Hex.hex("prefix".getBytes(StandardCharsets.US_ASCII)) + Hex.hex(v.binary()));
    assertThat(binary.decode(out, 6, out.length())).isEqualTo(v.expected());
  }
}

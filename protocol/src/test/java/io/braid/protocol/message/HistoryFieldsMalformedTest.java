package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The history fields (position, start, overflow, recovery) refuse what they do not define, naming the field. */
class HistoryFieldsMalformedTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // overflow code 5 (flags 0x1400)
      "08 80 28 01 61|SUBSCRIBE.overflow: must be 0..4, was 5",
      // start 2 (last) with count 0 (flags 0x200)
      "08 80 04 01 61 00|SUBSCRIBE.startLast: value 0 outside 1..2147483647",
      // start 1 (after) with an empty epoch (flags 0x100)
      "08 80 02 01 61 00 05|SUBSCRIBE.startAfter.epoch: must be 1 to 64 characters, was 0",
      // maxQueued 0 (flags 0x2000)
      "08 80 40 01 61 00|SUBSCRIBE.maxQueued: value 0 outside 1..2147483647",
      // bit 14 is not defined
      "08 80 80 01 01 61|SUBSCRIBE.flags: undefined bits set: 0x4000",
      // a varlong of 10 bytes
      "03 80 10 01 61 01 61 ffffffffffffffffff01|PUBLISH.position.offset: varlong longer than 9 bytes",
      // recovery status 3
      "09 08 03|SUBACK.recovery.status: must be 0, 1 or 2, was 3",
      // gap 5..4
      "09 08 01 05 04 01|SUBACK.recovery.gapTo: must be at least gapFrom 5, was 4",
      // gap reason 4
      "09 08 01 01 02 04|SUBACK.recovery.reason: must be 1, 2 or 3, was 4",
      // recovery flags bit 3
      "09 08 08|SUBACK.recovery.flags: undefined bits set: 0x8",
      // UNSUBACK has no recovery
      "0b 08 00|UNSUBACK.flags: undefined bits set: 0x8",
      // a recovery goes with a granted QoS only
      "09 09 87 00|SUBACK.recovery: only with a granted QoS, not with error 0x87",
  })
  void binaryHistoryFieldsAreChecked(String hex, String message) {
    assertThatThrownBy(() -> BinaryMessageCodec.INSTANCE.decode(Hex.buffer(hex)))
        .isInstanceOf(MalformedException.class).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startLast\":1,\"startSince\":5}|subscribe.startAfter: at most one of startAfter, startLast, startSince",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startLast\":0}|subscribe.startLast: must be 1..2147483647, was 0",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startSince\":-1}|subscribe.startSince: must be 0..9223372036854775807, was -1",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startAfter\":{\"epoch\":\"e\"}}|subscribe.startAfter.offset: missing",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startAfter\":{\"epoch\":\"e\",\"offset\":1,\"x\":1}}|subscribe.startAfter.x: unknown field",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"startAfter\":7}|subscribe.startAfter: must be an object",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"overflow\":\"drop_oldest\"}|subscribe.overflow: must be \"drop-oldest\", \"drop-newest\", \"conflate\" or \"disconnect\"",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"maxQueued\":0}|subscribe.maxQueued: must be 1..2147483647, was 0",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"position\":{\"epoch\":\"\",\"offset\":1}}|publish.position.epoch: must be 1 to 64 characters, was 0",
      "{\"type\":\"suback\",\"recovery\":{\"status\":\"partial\"}}|suback.recovery.status: must be \"complete\", \"gap\" or \"unavailable\"",
      "{\"type\":\"suback\",\"recovery\":{\"status\":\"gap\",\"gapFrom\":1,\"gapTo\":2}}|suback.recovery.reason: present exactly when the status is \"gap\"",
      "{\"type\":\"suback\",\"recovery\":{\"status\":\"gap\",\"gapFrom\":3,\"gapTo\":2,\"reason\":\"lost\"}}|suback.recovery.gapTo: must be at least gapFrom 3, was 2",
      "{\"type\":\"unsuback\",\"recovery\":{\"status\":\"complete\"}}|unsuback.recovery: unknown field",
  })
  void jsonHistoryFieldsAreChecked(String json, String message) {
    assertThatThrownBy(() -> JsonMessageCodec.INSTANCE.decode(Buffer.buffer(json)))
        .isInstanceOf(MalformedException.class).hasMessage(message);
  }

  @Test
  void offsetsAndTimesUpToTwoToTheSixtyThreeRoundTripInBothEncodings() {
    Subscribe subscribe = Subscribe.of("a", 0).withStart(new SubscribeStart.Since(Long.MAX_VALUE));
    Publish publish = Publish.builder("a", Buffer.buffer("x")).position(new TopicPosition("e", Long.MAX_VALUE)).build();
    for (MessageCodec codec : new MessageCodec[] {BinaryMessageCodec.INSTANCE, JsonMessageCodec.INSTANCE}) {
      assertThat(codec.decode(codec.encode(subscribe))).isEqualTo(subscribe);
      assertThat(codec.decode(codec.encode(publish))).isEqualTo(publish);
    }
  }
}

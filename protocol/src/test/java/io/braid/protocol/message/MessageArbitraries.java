package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for every message record, optional fields absent or present: strings with
 * ASCII, control characters, BMP and supplementary code points; payloads empty, small, or past
 * 64 KiB.
 */
final class MessageArbitraries {
  private MessageArbitraries() {}

  static Arbitrary<BraidMessage> messages() {
    return Arbitraries.oneOf(List.of(
        connects(), connAcks(), publishes(), publishes(), publishAcks(), subscribes(), subAcks(),
        unsubscribes(), unsubAcks(), pings(), pongs(), disconnects(), auths()));
  }

  static Arbitrary<String> strings(int maxLength) {
    Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.integers().between(0x20, 0x7e)),
        Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
        Tuple.of(3, Arbitraries.integers().between(0x80, 0xD7FF)),
        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoints.list().ofMaxSize(maxLength).map(list -> {
      StringBuilder sb = new StringBuilder();
      list.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  static Arbitrary<String> optionalStrings() {
    return strings(20).injectNull(0.5);
  }

  static Arbitrary<Buffer> buffers(int maxLength) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength).map(Buffer::buffer);
  }

  static Arbitrary<Buffer> optionalBuffers() {
    return buffers(16).injectNull(0.5);
  }

  /** Mostly small, sometimes text, now and then past 64 KiB. */
  static Arbitrary<Buffer> payloads() {
    Arbitrary<Buffer> large = Arbitraries.integers().between(65_536, 70_000).map(n -> {
      byte[] bytes = new byte[n];
      new Random(n).nextBytes(bytes);
      return Buffer.buffer(bytes);
    });
    return Arbitraries.frequencyOf(
        Tuple.of(10, buffers(40)),
        Tuple.of(5, strings(40).map(s -> Buffer.buffer(s))),
        Tuple.of(3, buffers(2000)),
        Tuple.of(1, large));
  }

  static Arbitrary<Long> u32() {
    return Arbitraries.longs().between(0, BraidMessage.MAX_U32);
  }

  static Arbitrary<Long> optionalU32() {
    return Arbitraries.oneOf(Arbitraries.just((long) BraidMessage.ABSENT), u32());
  }

  static Arbitrary<Integer> qos() {
    return Arbitraries.integers().between(0, 2);
  }

  static Arbitrary<Integer> packetIds() {
    return Arbitraries.integers().between(1, BraidMessage.MAX_PACKET_ID);
  }

  static Arbitrary<List<UserProperty>> userProperties() {
    Arbitrary<UserProperty> property = Combinators.combine(strings(10), strings(10)).as(UserProperty::new);
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.<UserProperty>of())),
        Tuple.of(1, property.list().ofMinSize(1).ofMaxSize(4)));
  }

  static Arbitrary<Integer> reasonCodes(MessageType type) {
    return Arbitraries.integers().between(0, 255).filter(code -> ReasonCode.isAllowed(type, code));
  }

  static Arbitrary<ConnectWill> wills() {
    return Combinators.combine(strings(30), payloads(), qos(), Arbitraries.of(true, false), u32(), optionalU32(),
        Arbitraries.integers().between(0, 1), optionalStrings())
        .flatAs((topic, payload, qos, retain, delay, expiry, format, contentType) ->
            Combinators.combine(optionalStrings(), optionalBuffers(), userProperties()).as((responseTopic, correlation, properties) ->
                new ConnectWill(topic, payload, qos, retain, delay, expiry, format, contentType, responseTopic, correlation, properties)));
  }

  static Arbitrary<BraidMessage> connects() {
    Arbitrary<String[]> auth = Combinators.combine(optionalStrings(), Arbitraries.of(true, false))
        .as((method, withData) -> new String[] {method, method != null && withData ? "data" : null});
    return Combinators.combine(strings(23), Arbitraries.of(true, false), Arbitraries.integers().between(0, 0xFFFF), u32(),
        wills().injectNull(0.5), optionalStrings(), optionalBuffers(), optionalStrings())
        .flatAs((clientId, cleanStart, keepAlive, expiry, will, username, password, token) ->
            Combinators.combine(auth, optionalBuffers(), Arbitraries.of(true, false), userProperties())
                .as((methodAndData, authData, problemInformation, properties) -> new Connect(clientId, cleanStart, keepAlive,
                    expiry, will, username, password, token, methodAndData[0], methodAndData[1] != null ? (authData != null ? authData : Buffer.buffer()) : null,
                    problemInformation, properties)));
  }

  static Arbitrary<BraidMessage> connAcks() {
    Arbitrary<Boolean> bool = Arbitraries.of(true, false);
    return Combinators.combine(reasonCodes(MessageType.CONNACK), bool, optionalStrings(),
        Arbitraries.oneOf(Arbitraries.just(BraidMessage.ABSENT), Arbitraries.integers().between(0, 0xFFFF)),
        optionalU32(), qos(), bool, bool)
        .flatAs((reasonCode, present, assigned, keepAlive, expiry, maximumQos, retain, wildcard) ->
            Combinators.combine(bool, bool, Arbitraries.oneOf(Arbitraries.just((long) BraidMessage.ABSENT),
                Arbitraries.longs().between(1, BraidMessage.MAX_U32)), optionalStrings(), optionalStrings(), optionalStrings(),
                optionalBuffers(), userProperties())
                .as((shared, ids, maxSize, reasonString, reference, method, data, properties) -> new ConnAck(
                    present && reasonCode == 0, reasonCode, assigned, keepAlive, expiry, maximumQos, retain, wildcard,
                    shared, ids, maxSize, reasonString, reference, method, method != null ? data : null, properties)));
  }

  static Arbitrary<BraidMessage> publishes() {
    Arbitrary<int[]> qosAndPacketId = qos().flatMap(qos -> qos == 0
        ? Arbitraries.just(new int[] {0, 0, 0})
        : Combinators.combine(packetIds(), Arbitraries.integers().between(0, 1)).as((id, dup) -> new int[] {qos, id, dup}));
    Arbitrary<List<Integer>> subscriptionIdentifiers = Arbitraries.integers()
        .between(1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER).list().ofMaxSize(3);
    return Combinators.combine(strings(40), payloads(), qosAndPacketId, Arbitraries.of(true, false), optionalU32(),
        Arbitraries.integers().between(0, 1), optionalStrings(), optionalStrings())
        .flatAs((topic, payload, qosIdDup, retain, expiry, format, contentType, responseTopic) ->
            Combinators.combine(optionalBuffers(), subscriptionIdentifiers, userProperties(), positions().injectNull(0.5))
                .as((correlation, ids, properties, position) -> new Publish(topic, payload, qosIdDup[0], retain,
                    qosIdDup[2] == 1, qosIdDup[1], expiry, format, contentType, responseTopic, correlation, ids,
                    properties, position)));
  }

  static Arbitrary<TopicPosition> positions() {
    return Combinators.combine(strings(64).filter(epoch -> !epoch.isEmpty() && epoch.length() <= 64),
        Arbitraries.oneOf(Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, Long.MAX_VALUE)))
        .as(TopicPosition::new);
  }

  static Arbitrary<SubscribeStart> starts() {
    return Arbitraries.oneOf(Arbitraries.just(SubscribeStart.NOW),
        positions().map(SubscribeStart.After::new),
        Arbitraries.integers().between(1, Integer.MAX_VALUE).map(SubscribeStart.Last::new),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(SubscribeStart.Since::new));
  }

  static Arbitrary<RecoveryReport> recoveries() {
    Arbitrary<RecoveryReport> gaps = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
        Arbitraries.longs().between(0, Long.MAX_VALUE / 2), Arbitraries.of(RecoveryReport.GapReason.class),
        positions().injectNull(0.3))
        .as((from, length, reason, latest) -> new RecoveryReport(RecoveryReport.Status.GAP, from, from + length,
            reason, latest));
    return Arbitraries.oneOf(gaps, positions().injectNull(0.3).map(RecoveryReport::complete),
        Arbitraries.just(new RecoveryReport(RecoveryReport.Status.UNAVAILABLE, 0, 0, null, null)));
  }

  static Arbitrary<BraidMessage> publishAcks() {
    return Arbitraries.of(MessageType.PUBACK, MessageType.PUBREC, MessageType.PUBREL, MessageType.PUBCOMP)
        .flatMap(type -> Combinators.combine(packetIds(), reasonCodes(type), optionalStrings(), userProperties())
            .as((id, code, reason, properties) -> {
              switch (type) {
                case PUBACK: return new PubAck(id, code, reason, properties);
                case PUBREC: return new PubRec(id, code, reason, properties);
                case PUBREL: return new PubRel(id, code, reason, properties);
                default: return new PubComp(id, code, reason, properties);
              }
            }));
  }

  static Arbitrary<BraidMessage> subscribes() {
    Arbitrary<SubscribeOptions> options = Combinators.combine(qos(), Arbitraries.of(true, false),
        Arbitraries.of(true, false), Arbitraries.integers().between(0, 2)).as(SubscribeOptions::new);
    return Combinators.combine(strings(40), options,
        Arbitraries.oneOf(Arbitraries.just(BraidMessage.ABSENT),
            Arbitraries.integers().between(1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER)),
        userProperties(), starts(), Arbitraries.of(OverflowPolicy.class).injectNull(0.4),
        Arbitraries.oneOf(Arbitraries.just(BraidMessage.ABSENT), Arbitraries.integers().between(1, Integer.MAX_VALUE)))
        .as(Subscribe::new);
  }

  static Arbitrary<BraidMessage> subAcks() {
    return Combinators.combine(reasonCodes(MessageType.SUBACK), optionalStrings(), userProperties(),
        recoveries().injectNull(0.5))
        .as((code, reason, properties, recovery) -> new SubAck(code, reason, properties, code <= 2 ? recovery : null));
  }

  static Arbitrary<BraidMessage> unsubscribes() {
    return userProperties().map(Unsubscribe::new);
  }

  static Arbitrary<BraidMessage> unsubAcks() {
    return Combinators.combine(reasonCodes(MessageType.UNSUBACK), optionalStrings(), userProperties()).as(UnsubAck::new);
  }

  static Arbitrary<BraidMessage> pings() {
    return buffers(16).map(Ping::new);
  }

  static Arbitrary<BraidMessage> pongs() {
    return buffers(16).map(Pong::new);
  }

  static Arbitrary<BraidMessage> disconnects() {
    return Combinators.combine(reasonCodes(MessageType.DISCONNECT), optionalU32(), optionalStrings(), optionalStrings(),
        userProperties()).as(Disconnect::new);
  }

  static Arbitrary<BraidMessage> auths() {
    return Combinators.combine(reasonCodes(MessageType.AUTH), strings(20), optionalBuffers(), optionalStrings(),
        userProperties()).as(Auth::new);
  }
}

package io.braid.protocol.message;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shared message vectors of {@code src/test/resources/vectors/messages}: each {@code name.hex}
 * (binary encoding; whitespace and {@code #} comments ignored) and {@code name.json} (JSON
 * encoding) hold the message {@link #EXPECTED} maps {@code name} to.
 */
final class Vectors {
  private static final String EPOCH = "5f0c2a9e1b7d4c36";
  static final String DIRECTORY = "/vectors/messages";

  /** One vector: its name, the binary bytes, the JSON text and the record both stand for. */
  record Vector(String name, byte[] binary, String json, BraidMessage expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Map<String, BraidMessage> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("connect-minimal", Connect.builder("c1").cleanStart(true).keepAlive(60).build());
    EXPECTED.put("connect-full", Connect.builder("")
        .keepAlive(300)
        .sessionExpiryInterval(3600)
        .will(ConnectWill.builder("clients/42/status", text("offline"))
            .qos(1)
            .retain(true)
            .delayInterval(10)
            .messageExpiryInterval(60)
            .payloadFormatIndicator(1)
            .contentType("text/plain")
            .responseTopic("r")
            .correlationData(Hex.buffer("0102"))
            .userProperties(List.of(new UserProperty("k", "v")))
            .build())
        .username("alice")
        .password(text("secret"))
        .token("jwt")
        .auth("SCRAM-SHA-256", Hex.buffer("deadbeef"))
        .requestProblemInformation(false)
        .userProperties(List.of(new UserProperty("region", "eu"), new UserProperty("region", "us")))
        .build());
    EXPECTED.put("connack-accepted", ConnAck.accepted(true));
    EXPECTED.put("connack-limits", ConnAck.builder(ReasonCode.SUCCESS)
        .assignedClientId("auto-1")
        .serverKeepAlive(120)
        .sessionExpiryInterval(86400)
        .maximumQos(1)
        .retainAvailable(false)
        .sharedSubscriptionAvailable(false)
        .maximumMessageSize(1048576)
        .userProperties(List.of(new UserProperty("node", "b1")))
        .build());
    EXPECTED.put("connack-refused", ConnAck.refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad credentials"));
    EXPECTED.put("publish-qos0", Publish.of("sensors/kitchen/temp", text("21.5")));
    EXPECTED.put("publish-qos1-binary", Publish.builder("a/b", Hex.buffer("00ff10")).qos(1, 300).retain(true).build());
    EXPECTED.put("publish-clear-retained", Publish.builder("a/b", Buffer.buffer()).retain(true).build());
    EXPECTED.put("publish-full", Publish.builder("température/°C", text("{\"t\":21.5}"))
        .qos(2, 65535)
        .dup(true)
        .messageExpiryInterval(3600)
        .payloadFormatIndicator(1)
        .contentType("application/json")
        .responseTopic("replies/42")
        .correlationData(text("req-1"))
        .subscriptionIdentifiers(List.of(1, 200))
        .userProperties(List.of(new UserProperty("trace", "abc")))
        .build());
    EXPECTED.put("publish-history", Publish.builder("chat/rooms/1", text("hi")).qos(1, 7)
        .position(new TopicPosition(EPOCH, 42)).build());
    EXPECTED.put("puback", PubAck.of(7));
    EXPECTED.put("puback-no-subscribers", PubAck.of(7, ReasonCode.NO_MATCHING_SUBSCRIBERS));
    EXPECTED.put("pubrec-quota", new PubRec(7, ReasonCode.QUOTA_EXCEEDED, "quota", List.of()));
    EXPECTED.put("pubrel", PubRel.of(7));
    EXPECTED.put("pubcomp-not-found", PubComp.of(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
    EXPECTED.put("subscribe-minimal", Subscribe.of("a/+", 1));
    EXPECTED.put("subscribe-full", new Subscribe("$share/g/a/#",
        new SubscribeOptions(2, false, true, SubscribeOptions.DO_NOT_SEND_RETAINED), 5,
        List.of(new UserProperty("k", "v"))));
    EXPECTED.put("subscribe-start-after", Subscribe.of("chat/rooms/1", 1)
        .withStart(new SubscribeStart.After(new TopicPosition(EPOCH, 41))));
    EXPECTED.put("subscribe-last-conflate", Subscribe.of("prices/#", 0)
        .withStart(new SubscribeStart.Last(100)).withOverflow(OverflowPolicy.CONFLATE, 1));
    EXPECTED.put("suback-qos0", SubAck.of(ReasonCode.GRANTED_QOS_0));
    EXPECTED.put("suback-recovered", new SubAck(ReasonCode.GRANTED_QOS_1, null, List.of(),
        RecoveryReport.complete(new TopicPosition(EPOCH, 45))));
    EXPECTED.put("suback-gap", new SubAck(ReasonCode.GRANTED_QOS_1, null, List.of(),
        new RecoveryReport(RecoveryReport.Status.GAP, 11, 999, RecoveryReport.GapReason.TRIMMED,
            new TopicPosition(EPOCH, 1500))));
    EXPECTED.put("suback-qos1", SubAck.of(ReasonCode.GRANTED_QOS_1));
    EXPECTED.put("suback-not-authorized", new SubAck(ReasonCode.NOT_AUTHORIZED, "denied", List.of()));
    EXPECTED.put("unsubscribe", new Unsubscribe());
    EXPECTED.put("unsuback", UnsubAck.of(ReasonCode.SUCCESS));
    EXPECTED.put("unsuback-no-subscription", UnsubAck.of(ReasonCode.NO_SUBSCRIPTION_EXISTED));
    EXPECTED.put("ping", new Ping());
    EXPECTED.put("ping-data", new Ping(Hex.buffer("0102030405060708")));
    EXPECTED.put("pong", new Pong());
    EXPECTED.put("pong-data", new Pong(Hex.buffer("0102030405060708")));
    EXPECTED.put("disconnect", Disconnect.of(ReasonCode.NORMAL_DISCONNECTION));
    EXPECTED.put("disconnect-with-will", Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
    EXPECTED.put("disconnect-session-expiry", new Disconnect(0, 0, null, null, List.of()));
    EXPECTED.put("disconnect-server-moved", new Disconnect(ReasonCode.SERVER_MOVED, BraidMessage.ABSENT, "moved",
        "b2:8080", List.of()));
    EXPECTED.put("auth-reauthenticate", Auth.of(ReasonCode.RE_AUTHENTICATE, "SCRAM-SHA-256", Hex.buffer("010203")));
  }

  private Vectors() {}

  static Buffer text(String s) {
    return Buffer.buffer(s.getBytes(UTF_8));
  }

  /** Hex text with whitespace and {@code #} comments to bytes. */
  static byte[] parseHex(String annotated) {
    String hex = annotated.lines()
        .map(line -> line.contains("#") ? line.substring(0, line.indexOf('#')) : line)
        .collect(Collectors.joining())
        .replaceAll("\\s+", "");
    return Hex.bytes(hex);
  }

  static Path directory() {
    try {
      return Paths.get(Vectors.class.getResource(DIRECTORY).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of the vector files, without extension. */
  static TreeSet<String> fileNames() {
    try (Stream<Path> files = Files.list(directory())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".hex") || n.endsWith(".json"))
          .map(n -> n.substring(0, n.lastIndexOf('.')))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Vector load(String name) {
    try {
      Path dir = directory();
      byte[] binary = parseHex(Files.readString(dir.resolve(name + ".hex")));
      String json = Files.readString(dir.resolve(name + ".json"));
      return new Vector(name, binary, json, EXPECTED.get(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Vector> all() {
    return EXPECTED.keySet().stream().map(Vectors::load).collect(Collectors.toList());
  }
}

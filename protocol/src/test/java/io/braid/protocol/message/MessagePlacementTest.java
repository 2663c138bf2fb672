package io.braid.protocol.message;

import static io.braid.protocol.codec.Role.CLIENT;
import static io.braid.protocol.codec.Role.SERVER;
import static io.braid.protocol.message.MessageType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which message may travel on which stream, for both roles, over every combination. */
class MessagePlacementTest {
  private static final Set<MessageType> CONTROL = EnumSet.of(CONNECT, CONNACK, PING, PONG, DISCONNECT, AUTH);

  private static String check(Role sender, int streamId, MessageType opener, MessageType type) {
    return MessagePlacement.check(sender, streamId, opener, type);
  }

  @Test
  void controlMessagesTravelOnlyOnStream0() {
    assertThat(check(CLIENT, 0, null, CONNECT)).isNull();
    assertThat(check(SERVER, 0, null, CONNACK)).isNull();
    for (Role role : Role.values()) {
      for (MessageType type : EnumSet.of(PING, PONG, DISCONNECT, AUTH)) {
        assertThat(check(role, 0, null, type)).isNull();
      }
      for (MessageType type : CONTROL) {
        assertThat(check(role, 1, null, type)).isEqualTo(type + " must travel on stream 0, not stream 1");
        assertThat(check(role, 3, SUBSCRIBE, type)).isNotNull();
      }
    }
  }

  @Test
  void onlyAClientConnectsAndOnlyAServerAcknowledges() {
    assertThat(check(SERVER, 0, null, CONNECT)).isEqualTo("only a client sends CONNECT");
    assertThat(check(CLIENT, 0, null, CONNACK)).isEqualTo("only a server sends CONNACK");
  }

  @Test
  void stream0CarriesNoStreamMessage() {
    for (MessageType type : EnumSet.complementOf(EnumSet.copyOf(CONTROL))) {
      assertThat(check(CLIENT, 0, null, type)).isEqualTo(type + " must not travel on stream 0");
    }
  }

  @Test
  void subscribeOnlyOpensANewClientStream() {
    assertThat(check(CLIENT, 1, null, SUBSCRIBE)).isNull();
    assertThat(check(CLIENT, 1, SUBSCRIBE, SUBSCRIBE)).isEqualTo("SUBSCRIBE must open a new client stream");
    assertThat(check(CLIENT, 1, PUBLISH, SUBSCRIBE)).isEqualTo("SUBSCRIBE must open a new client stream");
    assertThat(check(SERVER, 1, null, SUBSCRIBE))
        .isEqualTo("only a client opens a stream, with SUBSCRIBE, PUBLISH or PUBREL");
    assertThat(check(CLIENT, 2, null, SUBSCRIBE)).isEqualTo("SUBSCRIBE must not travel on server-initiated stream 2");
  }

  @Test
  void aClientPublishMayOpenAStream() {
    assertThat(check(CLIENT, 5, null, PUBLISH)).isNull();
    assertThat(check(CLIENT, 5, PUBLISH, PUBLISH)).isNull();
  }

  @Test
  void aClientPubrelMayOpenAPublicationStreamToFinishAnEarlierConnectionsExchange() {
    assertThat(check(CLIENT, 7, null, PUBREL)).isNull();
    assertThat(check(CLIENT, 7, PUBREL, PUBLISH)).isNull();
    assertThat(check(SERVER, 7, PUBREL, PUBCOMP)).isNull();
    assertThat(check(SERVER, 7, null, PUBREL)).isEqualTo("only a client opens a stream, with SUBSCRIBE, PUBLISH or PUBREL");
  }

  @Test
  void onlySubscribePublishOrPubrelOpensAStream() {
    for (MessageType type : EnumSet.of(SUBACK, UNSUBSCRIBE, UNSUBACK, PUBACK, PUBREC, PUBCOMP)) {
      assertThat(check(CLIENT, 1, null, type))
          .isEqualTo(type + " must not open a stream: a client stream starts with SUBSCRIBE, PUBLISH or PUBREL");
      assertThat(check(SERVER, 1, null, type)).isNotNull();
    }
  }

  @Test
  void aSubscriptionStreamCarriesItsAnswersDeliveriesAndTheirAcks() {
    for (MessageType type : EnumSet.of(SUBACK, UNSUBACK, PUBLISH, PUBREL)) {
      assertThat(check(SERVER, 1, SUBSCRIBE, type)).as("server %s", type).isNull();
      assertThat(check(CLIENT, 1, SUBSCRIBE, type)).isEqualTo("only the server sends " + type + " on a subscription stream");
    }
    for (MessageType type : EnumSet.of(UNSUBSCRIBE, PUBACK, PUBREC, PUBCOMP)) {
      assertThat(check(CLIENT, 1, SUBSCRIBE, type)).as("client %s", type).isNull();
      assertThat(check(SERVER, 1, SUBSCRIBE, type)).isEqualTo("only the client sends " + type + " on a subscription stream");
    }
  }

  @Test
  void aPublicationStreamCarriesPublishesAndTheirAcks() {
    for (MessageType type : EnumSet.of(PUBLISH, PUBREL)) {
      assertThat(check(CLIENT, 3, PUBLISH, type)).isNull();
      assertThat(check(SERVER, 3, PUBLISH, type)).isEqualTo("only the client sends " + type + " on a publication stream");
    }
    for (MessageType type : EnumSet.of(PUBACK, PUBREC, PUBCOMP)) {
      assertThat(check(SERVER, 3, PUBLISH, type)).isNull();
      assertThat(check(CLIENT, 3, PUBLISH, type)).isEqualTo("only the server sends " + type + " on a publication stream");
    }
    for (MessageType type : EnumSet.of(SUBACK, UNSUBSCRIBE, UNSUBACK)) {
      assertThat(check(CLIENT, 3, PUBLISH, type)).isEqualTo(type + " must not travel on a publication stream");
      assertThat(check(SERVER, 3, PUBLISH, type)).isEqualTo(type + " must not travel on a publication stream");
    }
  }

  @Test
  void serverInitiatedStreamsCarryNoMessage() {
    for (MessageType type : EnumSet.complementOf(EnumSet.copyOf(CONTROL))) {
      for (Role role : Role.values()) {
        assertThat(check(role, 2, null, type)).isEqualTo(type + " must not travel on server-initiated stream 2");
      }
    }
  }

  @Test
  void everyCombinationHasAnAnswerAndNoneThrows() {
    int allowed = 0;
    for (Role role : Role.values()) {
      for (int stream : new int[] {0, 1, 2}) {
        for (MessageType opener : new MessageType[] {null, SUBSCRIBE, PUBLISH, PUBACK}) {
          for (MessageType type : MessageType.values()) {
            if (check(role, stream, opener, type) == null) {
              allowed++;
            }
          }
        }
      }
    }
    // stream 0: 6 control types x 4 openers minus CONNECT/CONNACK for the wrong role (2 x 4);
    // stream 1: 3 openers by the client; 4 + 4 per role on a subscription stream; 2 + 3 per role on a publication stream
    assertThat(allowed).isEqualTo((6 * 4 * 2 - 2 * 4) + 3 + 8 + 5);
    assertThat(MessagePlacement.isControl(PING)).isTrue();
    assertThat(MessagePlacement.check(CLIENT, 1, null, Subscribe.of("a", 0))).isNull();
  }
}

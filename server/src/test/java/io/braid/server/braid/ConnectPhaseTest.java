package io.braid.server.braid;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.handshake.HttpRequestHead;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.ConnectWill;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.ws.CloseCodes;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.server.auth.PasswordHash;
import io.braid.server.config.BrokerConfig;
import io.braid.server.config.ConfigLoader;
import io.braid.server.frontend.ConnectOutcome;
import io.braid.server.frontend.DeferredLink;
import io.braid.server.websocket.WsChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Braid connection before CONNACK, with no socket: every refusal of the connect phase with its CONNACK reason code
 * and close code, the timeout, the bound on messages before CONNACK, and the CONNACK of an accepted client. The
 * phase runs on a Vert.x context, as in the server.
 */
class ConnectPhaseTest {

  @TempDir
  Path directory;
  private PartsFixture fixture;
  private Wire wire;
  private Context context;
  private ConnectPhase phase;
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A phase on a broker with {@code settings} (configuration keys), started on its own context. */
  private void start(String... settings) throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i + 1 < settings.length; i += 2) {
      flags.put(settings[i], settings[i + 1]);
    }
    BrokerConfig config = ConfigLoader.load(null, Map.of(), flags);
    fixture = new PartsFixture(config, new InMemoryStore());
    wire = new Wire();
    context = fixture.vertx.getOrCreateContext();
    onContext(() -> {
      phase = new ConnectPhase(fixture.frontEnd, ConnectPhase.limitProperties(config), wire.server, new IdleChannel(),
          context, new DeferredLink(cause -> { }), new ConnectPhase.Outcome() {
            @Override
            public void connected(ConnectOutcome.Accepted accepted, Connect connect,
                List<ConnectPhase.Deferred> deferred) {
              ended.complete("connected " + accepted.client().clientId() + " deferred " + deferred.size());
            }

            @Override
            public void failed(int closeCode, String reason) {
              ended.complete("failed " + closeCode + " " + reason);
            }
          });
      wire.onServerMessage(received -> phase.onMessage(received.streamId(), false, received.endStream(),
          received.message()));
      phase.start();
    });
  }

  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.run();
        done.complete(null);
      } catch (RuntimeException | AssertionError e) {
        done.completeExceptionally(e);
      }
    });
    done.get(10, TimeUnit.SECONDS);
  }

  /** The client sends {@code connect}; returns how the phase ended and the CONNACK the client got. */
  private String connect(Connect connect) throws Exception {
    onContext(() -> wire.clientSends(0, connect, false));
    String outcome = ended.get(10, TimeUnit.SECONDS);
    onContext(wire::settle);
    return outcome;
  }

  private ConnAck connAck() {
    return wire.clientGot(ConnAck.class).get(0);
  }

  private static Connect.Builder client(String clientId) {
    return Connect.builder(clientId).cleanStart(true).keepAlive(30);
  }

  @Test
  void anAcceptedClientGetsConnAckWithTheBrokersLimits() throws Exception {
    start();

    assertThat(connect(client("").build())).startsWith("connected braid-");

    ConnAck connAck = connAck();
    assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(connAck.assignedClientId()).startsWith("braid-");
    assertThat(connAck.maximumMessageSize()).isEqualTo(1_048_576);
    assertThat(connAck.userProperties()).hasSize(7);
  }

  @Test
  void aFirstMessageOtherThanConnectIsRefusedWith0x82() throws Exception {
    start();
    onContext(() -> wire.clientSends(0, new Ping(Buffer.buffer()), false));

    assertThat(ended.get(10, TimeUnit.SECONDS)).startsWith("failed " + CloseCodes.POLICY_VIOLATION
        + " CONNECT must be the first message");
    onContext(wire::settle);
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void noConnectInTimeClosesWithoutConnAck() throws Exception {
    start("sessions.connectTimeoutMillis", "50");

    assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo("failed " + CloseCodes.POLICY_VIOLATION
        + " no CONNECT within 50 ms");
    assertThat(wire.clientGot(ConnAck.class)).isEmpty();
  }

  @Test
  void aClientIdentifierOverTheLimitIsRefusedWith0x85() throws Exception {
    start("sessions.maxClientIdLength", "23");

    assertThat(connect(client("a-client-id-of-24-bytes.").build())).startsWith("failed " + CloseCodes.POLICY_VIOLATION);
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
  }

  @Test
  void aClientIdentifierWithNulIsRefusedWith0x85() throws Exception {
    start();

    connect(client("a\u0000b").build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
  }

  @Test
  void anAuthMethodIsRefusedWith0x8C() throws Exception {
    start();

    connect(client("scram").auth("SCRAM-SHA-256", Buffer.buffer("x")).build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
  }

  @Test
  void aWillToAnInvalidTopicIsRefusedWith0x90() throws Exception {
    start();

    connect(client("w").will(ConnectWill.of("a/#", Buffer.buffer("gone"), 0)).build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    assertThat(connAck().reasonString()).startsWith("will topic:");
  }

  @Test
  void anonymousAccessOffRefusesWith0x87() throws Exception {
    start("auth.anonymous", "false");

    connect(client("nobody").build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
  }

  @Test
  void aWillTheAclDeniesIsRefusedWith0x87() throws Exception {
    Path acl = directory.resolve("acl");
    Files.writeString(acl, "pattern readwrite clients/%c/#\n");
    start("acl.file", acl.toString());

    connect(client("c1").will(ConnectWill.of("clients/c2/status", Buffer.buffer("gone"), 0)).build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(connAck().reasonString()).isEqualTo("not authorized to publish the will to clients/c2/status");
  }

  @Test
  void aBadPasswordIsRefusedWith0x86WithoutProblemInformationWhenNotRequested() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("right", 1_000).encoded() + "\n");
    start("auth.anonymous", "false", "auth.usersFile", users.toString());

    connect(client("a").username("alice").password(Buffer.buffer("wrong")).requestProblemInformation(false)
        .build());
    assertThat(connAck().reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(connAck().reasonString()).isNull();
  }

  @Test
  void messagesAfterConnectWaitForConnAckUpToTheLimit() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "slow:" + PasswordHash.create("pw", 200_000).encoded() + "\n");
    start("auth.anonymous", "false", "auth.usersFile", users.toString());

    onContext(() -> {
      wire.client.send(0, client("slow").username("slow").password(Buffer.buffer("pw")).build(), false);
      wire.client.send(wire.client.openStream(), Subscribe.of("t", 0), false);
      wire.settle(); // the password check takes a while: the SUBSCRIBE arrives before CONNACK
    });

    assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo("connected slow deferred 1");
  }

  /** A WebSocket that sends nothing anywhere: the phase talks through the wire's endpoint. */
  private static final class IdleChannel implements WsChannel {
    @Override
    public void send(int opcode, boolean fin, Buffer payload) {
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public String subprotocol() {
      return "braid.v1";
    }

    @Override
    public SocketAddress remoteAddress() {
      return SocketAddress.inetSocketAddress(40_000, "127.0.0.1");
    }

    @Override
    public HttpRequestHead request() {
      return null;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }
  }
}

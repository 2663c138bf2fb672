package io.braid.server.mqtt;

import io.braid.protocol.handshake.EndpointSpec;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.CloseReason;
import io.braid.server.auth.BearerToken;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.websocket.WsChannel;
import io.braid.server.websocket.WsEndpoint;
import io.braid.server.websocket.WsHandler;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * MQTT over WebSocket (MQTT 5.0 §6): subprotocol {@code mqtt} on Braid's own WebSocket stack, at
 * {@code mqtt.webSocketPath}. The bytes of binary messages are the MQTT stream, packets split across messages or
 * sharing one; a text message is a protocol error [MQTT-6.0.0-1]. An {@code Authorization: Bearer} header of the
 * handshake authenticates as a CONNECT token does. Thread safe.
 */
public final class MqttWebSocketEndpoint implements WsEndpoint {

  /** The subprotocol MQTT 3.1.1 and 5 register for WebSocket. */
  public static final String SUBPROTOCOL = "mqtt";

  private final EndpointSpec spec;
  private final BrokerFrontEnd frontEnd;

  public MqttWebSocketEndpoint(String path, BrokerFrontEnd frontEnd) {
    this.spec = new EndpointSpec(path, List.of(SUBPROTOCOL));
    this.frontEnd = frontEnd;
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  @Override
  public WsHandler open(WsChannel channel) {
    if (channel.subprotocol() == null) {
      frontEnd.metrics().protocolError(CloseCodes.PROTOCOL_ERROR);
      channel.close(CloseCodes.PROTOCOL_ERROR, "no subprotocol: offer mqtt");
      return (text, payload) -> { };
    }
    ChannelTransport transport = new ChannelTransport(channel);
    MqttConnection connection = new MqttConnection(frontEnd, transport);
    return new WsHandler() {
      @Override
      public void onMessage(boolean text, Buffer payload) {
        if (text) {
          frontEnd.metrics().protocolError(CloseCodes.UNSUPPORTED_DATA);
          channel.close(CloseCodes.UNSUPPORTED_DATA, "MQTT travels in binary messages [MQTT-6.0.0-1]");
          return;
        }
        connection.onBytes(payload);
      }

      @Override
      public void onClosed(CloseReason reason) {
        connection.onClosed();
      }

      @Override
      public void onDrain() {
        connection.onDrain();
      }

      @Override
      public void onShutdown(Runnable done) {
        connection.onShutdown(done);
      }
    };
  }

  /** The WebSocket under an MQTT connection: every write one binary message. */
  private static final class ChannelTransport implements MqttTransport {
    private final WsChannel channel;
    private final String remote;
    private boolean closed;

    ChannelTransport(WsChannel channel) {
      this.channel = channel;
      this.remote = String.valueOf(channel.remoteAddress());
    }

    @Override
    public void write(Buffer bytes) {
      channel.sendBinary(bytes);
    }

    @Override
    public boolean writeQueueFull() {
      return channel.writeQueueFull();
    }

    @Override
    public void pauseReading() {
      channel.pauseReading();
    }

    @Override
    public void resumeReading() {
      channel.resumeReading();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        channel.close(CloseCodes.NORMAL, "");
      }
    }

    @Override
    public String remote() {
      return remote;
    }

    @Override
    public String bearerToken() {
      return channel.request() == null ? null : BearerToken.of(channel.request().headers().get("Authorization"));
    }

    @Override
    public String name() {
      return "websocket";
    }
  }
}

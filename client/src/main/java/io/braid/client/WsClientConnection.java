package io.braid.client;

import io.braid.protocol.codec.Role;
import io.braid.protocol.handshake.ClientHandshake;
import io.braid.protocol.handshake.HandshakeException;
import io.braid.protocol.handshake.HttpHeadParser;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.CloseReason;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.MessageAssembler;
import io.braid.protocol.ws.MessageSink;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.WsProtocolException;
import io.braid.protocol.ws.deflate.DeflateParameters;
import io.braid.protocol.ws.deflate.PerMessageDeflate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * An open client-side WebSocket connection. Handlers are called on the connection's event loop;
 * the send and close methods may be called from any thread and are run on that loop in call order.
 */
public final class WsClientConnection implements MessageSink {
  private enum State { HANDSHAKE, OPEN, CLOSING, CLOSED }

  private final Vertx vertx;
  private final NetSocket socket;
  private final WsClientOptions options;
  private final Context context;
  private final FrameEncoder encoder = FrameEncoder.client();
  private final Promise<CloseReason> closed = Promise.promise();

  private State state = State.HANDSHAKE;
  private HttpHeadParser headParser;
  private FrameDecoder decoder;
  private String subprotocol;
  private PerMessageDeflate compression;
  private long timerId = -1;
  private CloseReason closeReason;

  private Handler<String> textHandler = t -> {};
  private Handler<Buffer> binaryHandler = b -> {};
  private Handler<Buffer> pongHandler = p -> {};
  private Handler<CloseReason> closeHandler = r -> {};

  WsClientConnection(Vertx vertx, NetSocket socket, WsClientOptions options) {
    this.vertx = vertx;
    this.socket = socket;
    this.options = options;
    this.context = vertx.getOrCreateContext();
  }

  Future<WsClientConnection> open(ClientHandshake handshake) {
    Promise<WsClientConnection> opened = Promise.promise();
    headParser = HttpHeadParser.forResponse(HttpHeadParser.DEFAULT_MAX_HEAD_SIZE, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    socket.handler(data -> onData(data, handshake, opened));
    socket.closeHandler(v -> onTcpClosed(opened));
    socket.exceptionHandler(e -> opened.tryFail(e));
    timerId = vertx.setTimer(options.handshakeTimeoutMillis(), id -> {
      timerId = -1;
      if (opened.tryFail("no handshake response within " + options.handshakeTimeoutMillis() + " ms")) {
        socket.close();
      }
    });
    socket.write(handshake.request());
    return opened.future();
  }

  private void onData(Buffer data, ClientHandshake handshake, Promise<WsClientConnection> opened) {
    if (state == State.HANDSHAKE) {
      int end;
      try {
        end = headParser.parse(data);
        if (end < 0) {
          return;
        }
        subprotocol = handshake.validate(headParser.responseHead());
      } catch (HandshakeException e) {
        state = State.CLOSED;
        cancelTimer();
        opened.tryFail(new WsHandshakeException(e.reason()));
        socket.close();
        return;
      }
      cancelTimer();
      headParser = null;
      state = State.OPEN;
      if (handshake.compression() == null) {
        decoder = FrameDecoder.unmaskingInPlace(Role.CLIENT, options.limits(), new MessageAssembler(this));
      } else {
        compression = new PerMessageDeflate(handshake.compression(), Role.CLIENT, options.deflateConfig(),
            options.limits().maxMessageSize());
        decoder = compression.decoderInPlace(options.limits(), new MessageAssembler(this));
      }
      opened.complete(this);
      if (end < data.length()) {
        decode(data.slice(end, data.length()));
      }
    } else if (state != State.CLOSED) {
      decode(data);
    }
  }

  private void decode(Buffer data) {
    try {
      decoder.decode(data);
    } catch (WsProtocolException e) {
      // Fail the connection (RFC 6455 §7.1.7).
      if (state == State.OPEN) {
        socket.write(encoder.close(e.closeCode(), e.reason()));
      }
      closeReason = new CloseReason(e.closeCode(), e.reason());
      state = State.CLOSING;
      socket.close();
    }
  }

  @Override
  public void onText(Buffer utf8) {
    textHandler.handle(utf8.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void onBinary(Buffer data) {
    binaryHandler.handle(data);
  }

  @Override
  public void onPing(Buffer payload) {
    if (state == State.OPEN) {
      socket.write(encoder.pong(payload));
    }
  }

  @Override
  public void onPong(Buffer payload) {
    pongHandler.handle(payload);
  }

  @Override
  public void onClose(CloseReason reason) {
    closeReason = reason;
    decoder.stop();
    if (state == State.OPEN) {
      state = State.CLOSING;
      socket.write(encoder.close(reason.code() == CloseCodes.NO_STATUS ? CloseReason.NO_STATUS : new CloseReason(reason.code(), "")));
    }
    // The server closes TCP first (RFC 6455 §7.1.1); close it ourselves if it does not.
    armCloseTimer();
  }

  private void onTcpClosed(Promise<WsClientConnection> opened) {
    cancelTimer();
    state = State.CLOSED;
    if (compression != null) {
      compression.close();
    }
    opened.tryFail("connection closed during the handshake");
    CloseReason reason = closeReason != null ? closeReason : new CloseReason(CloseCodes.ABNORMAL, "");
    closed.tryComplete(reason);
    closeHandler.handle(reason);
  }

  /** Called with each complete text message. */
  public WsClientConnection textHandler(Handler<String> handler) {
    this.textHandler = handler;
    return this;
  }

  /** Called with each complete binary message. */
  public WsClientConnection binaryHandler(Handler<Buffer> handler) {
    this.binaryHandler = handler;
    return this;
  }

  public WsClientConnection pongHandler(Handler<Buffer> handler) {
    this.pongHandler = handler;
    return this;
  }

  /** Called once when TCP closed, with the server's close frame or 1006 if none came. */
  public WsClientConnection closeHandler(Handler<CloseReason> handler) {
    this.closeHandler = handler;
    return this;
  }

  /** The permessage-deflate parameters the server agreed to, or null when the connection is not compressed. */
  public DeflateParameters compression() {
    return compression == null ? null : compression.parameters();
  }

  /** The subprotocol the server selected, or null. */
  public String subprotocol() {
    return subprotocol;
  }

  public void sendText(String text) {
    sendFrame(Opcode.TEXT, true, Buffer.buffer(text));
  }

  public void sendBinary(Buffer data) {
    sendFrame(Opcode.BINARY, true, data);
  }

  public void ping(Buffer payload) {
    sendFrame(Opcode.PING, true, payload);
  }

  /** Sends one frame as given, e.g. a fragment of a message. */
  public void sendFrame(int opcode, boolean fin, Buffer payload) {
    onContext(() -> {
      if (state == State.OPEN) {
        socket.write(compression == null ? encoder.encode(opcode, fin, payload)
            : compression.encode(encoder, opcode, fin, payload));
      }
    });
  }

  /**
   * Starts the close handshake.
   *
   * @return completes with the server's close reason once TCP is closed
   */
  public Future<CloseReason> close(int code, String reason) {
    onContext(() -> {
      if (state == State.OPEN) {
        state = State.CLOSING;
        socket.write(encoder.close(code, reason));
        armCloseTimer();
      }
    });
    return closed.future();
  }

  /** Completes with the close reason once the connection has closed, for whatever cause. */
  public Future<CloseReason> closeFuture() {
    return closed.future();
  }

  private void armCloseTimer() {
    cancelTimer();
    timerId = vertx.setTimer(options.closeTimeoutMillis(), id -> {
      timerId = -1;
      socket.close();
    });
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}

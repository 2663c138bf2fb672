package io.braid.server.websocket;

import io.braid.protocol.codec.Role;
import io.braid.protocol.handshake.HandshakeException;
import io.braid.protocol.handshake.HandshakeResult;
import io.braid.protocol.handshake.HttpHeadParser;
import io.braid.protocol.handshake.HttpRequestHead;
import io.braid.protocol.handshake.HttpStatus;
import io.braid.protocol.handshake.ServerHandshake;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.CloseReason;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.FrameSink;
import io.braid.protocol.ws.MessageAssembler;
import io.braid.protocol.ws.MessageSink;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.WsFrame;
import io.braid.protocol.ws.WsProtocolException;
import io.braid.protocol.ws.deflate.PerMessageDeflate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side WebSocket connection over a raw {@link NetSocket}: handshake, frames, keep-alive
 * and the close handshake, as a small state machine:
 *
 * <pre>
 *   HANDSHAKE --101--> OPEN --close sent or received--> CLOSING --TCP closed--> CLOSED
 *       \--refused or timed out-------------------------------------------------^
 * </pre>
 *
 * <p>Confined to the event loop of the verticle that accepted the socket: every method runs there.
 */
final class WsConnection implements FrameSink, WsChannel {
  private static final Logger log = LoggerFactory.getLogger(WsConnection.class);

  enum State { HANDSHAKE, OPEN, CLOSING, CLOSED }

  private final Vertx vertx;
  private final NetSocket socket;
  private final ConnectionVerticle owner;
  private final BraidServerOptions options;
  private final SocketAddress remote;

  private State state = State.HANDSHAKE;
  private HttpHeadParser headParser;
  private FrameDecoder decoder;
  private final FrameEncoder encoder = FrameEncoder.server();
  /** permessage-deflate, where the handshake agreed it; else null. */
  private PerMessageDeflate compression;
  private WsHandler handler;
  /** Joins fragments into whole messages for a message handler; null for a {@link WsFrameHandler}. */
  private MessageAssembler assembler;
  private HttpRequestHead request;
  private String subprotocol;
  private CloseReason closeReceived;
  /** The close frame this side sent first, if it did: how the connection ended when the peer never answered. */
  private CloseReason closeSent;
  private boolean admitted;

  private long timerId = -1;
  private long lastReadNanos;
  private long pingSentNanos;
  private boolean pingOutstanding;
  /** The handler asked not to read for now ({@link #pauseReading()}); a drained write queue leaves it paused. */
  private boolean readingPaused;

  WsConnection(Vertx vertx, NetSocket socket, ConnectionVerticle owner, BraidServerOptions options) {
    this.vertx = vertx;
    this.socket = socket;
    this.owner = owner;
    this.options = options;
    this.remote = socket.remoteAddress();
    this.headParser = HttpHeadParser.forRequest(options.maxHandshakeSize(), options.maxHeaderCount());
    this.lastReadNanos = System.nanoTime();
  }

  void start() {
    socket.setWriteQueueMaxSize(options.writeQueueMaxSize());
    socket.handler(this::onData);
    socket.closeHandler(v -> onTcpClosed());
    socket.shutdownHandler(v -> onShutdown());
    // at INFO: a connection that ends on a socket error otherwise leaves no trace of which side ended it
    socket.exceptionHandler(e -> log.info("socket error from {} in state {}: {}", remote, state, e.toString()));
    timerId = vertx.setTimer(options.handshakeTimeoutMillis(), id -> onHandshakeTimeout());
  }

  State state() {
    return state;
  }

  private void onData(Buffer data) {
    lastReadNanos = System.nanoTime();
    pingOutstanding = false;
    switch (state) {
      case HANDSHAKE:
        onHandshakeData(data);
        break;
      case OPEN:
      case CLOSING:
        decode(data);
        break;
      default:
        break;
    }
  }

  private void onHandshakeData(Buffer data) {
    HandshakeResult result;
    int headEnd;
    try {
      headEnd = headParser.parse(data);
      if (headEnd < 0) {
        return;
      }
      HttpRequestHead head = headParser.requestHead();
      if (options.staticFiles() != null && !head.headers().containsToken("Upgrade", "websocket")) {
        serveFile(head);
        return;
      }
      result = owner.handshake().handle(head);
    } catch (HandshakeException e) {
      result = ServerHandshake.reject(e.status(), e.reason());
      headEnd = data.length();
    }
    headParser = null;
    cancelTimer();
    result = admit(result);
    if (result instanceof HandshakeResult.Rejected rejected) {
      log.info("handshake refused from {}: {} {}", remote, rejected.status(), rejected.reason());
      owner.hooks().handshakeRefused(rejected.status());
      state = State.CLOSED;
      socket.write(rejected.response());
      socket.close();
      return;
    }
    open((HandshakeResult.Accepted) result);
    if (headEnd < data.length()) {
      // The client pipelined its first frames behind the head.
      decode(data.slice(headEnd, data.length()));
    }
  }

  /** A plain HTTP request on a server with a web page: the file, then the connection closes. */
  private void serveFile(HttpRequestHead head) {
    headParser = null;
    cancelTimer();
    state = State.CLOSED;
    log.debug("{} {} from {}", head.method(), head.path(), remote);
    socket.end(options.staticFiles().respond(head));
  }

  /** A valid handshake still has to pass the hooks (connection limits); their refusal replaces it. */
  private HandshakeResult admit(HandshakeResult result) {
    if (!(result instanceof HandshakeResult.Accepted)) {
      return result;
    }
    ConnectionHooks.Refusal refusal = owner.hooks().admit(remote);
    if (refusal != null) {
      return ServerHandshake.reject(refusal.status(), refusal.reason());
    }
    admitted = true;
    return result;
  }

  /** Answers 101 and hands the connection to its endpoint. */
  private void open(HandshakeResult.Accepted accepted) {
    subprotocol = accepted.subprotocol();
    request = accepted.request();
    socket.write(accepted.response());
    state = State.OPEN;
    // NetSocket hands each read over as a private heap copy: payloads can be unmasked where they lie.
    if (accepted.compression() == null) {
      decoder = FrameDecoder.unmaskingInPlace(Role.SERVER, options.wsLimits(), this);
    } else {
      compression = new PerMessageDeflate(accepted.compression(), Role.SERVER, options.permessageDeflate(),
          options.wsLimits().maxMessageSize());
      decoder = compression.decoderInPlace(options.wsLimits(), this);
    }
    owner.hooks().opened(compression != null);
    handler = owner.endpoint(accepted.endpoint().path()).open(this);
    if (!(handler instanceof WsFrameHandler)) {
      assembler = new MessageAssembler(messagesTo(handler));
    }
    log.debug("websocket open from {} on {} (subprotocol {}, compression {})", remote, accepted.endpoint().path(),
        subprotocol, compression == null ? "none" : compression.parameters().headerValue());
  }

  private static MessageSink messagesTo(WsHandler handler) {
    return new MessageSink() {
      @Override
      public void onText(Buffer utf8) {
        handler.onMessage(true, utf8);
      }

      @Override
      public void onBinary(Buffer data) {
        handler.onMessage(false, data);
      }
    };
  }

  private void decode(Buffer data) {
    try {
      decoder.decode(data);
    } catch (WsProtocolException e) {
      log.info("protocol error from {}: close {} {}", remote, e.closeCode(), e.reason());
      owner.hooks().protocolError(e.closeCode());
      fail(e.closeCode(), e.reason());
    } catch (RuntimeException e) {
      log.error("internal error on connection from {}", remote, e);
      fail(CloseCodes.INTERNAL_ERROR, "internal error");
    }
  }

  @Override
  public void onFrame(WsFrame frame) {
    switch (frame.opcode()) {
      case Opcode.PING:
        if (state == State.OPEN) {
          write(encoder.pong(frame.payload()));
        }
        break;
      case Opcode.PONG:
        break;
      case Opcode.CLOSE:
        onCloseFrame(CloseReason.parse(frame.payload()));
        break;
      default:
        if (state == State.OPEN) {
          if (assembler != null) {
            assembler.onFrame(frame);
          } else {
            ((WsFrameHandler) handler).onDataFrame(frame);
          }
        }
    }
  }

  private void onCloseFrame(CloseReason reason) {
    closeReceived = reason;
    decoder.stop();
    if (state == State.OPEN) {
      // Echo the status code (RFC 6455 §5.5.1), then close TCP: the server closes first (§7.1.1).
      state = State.CLOSING;
      write(encoder.close(reason.code() == CloseCodes.NO_STATUS ? CloseReason.NO_STATUS : new CloseReason(reason.code(), "")));
    }
    socket.close();
  }

  @Override
  public void send(int opcode, boolean fin, Buffer payload) {
    if (state != State.OPEN) {
      return;
    }
    write(compression == null ? encoder.encode(opcode, fin, payload) : compression.encode(encoder, opcode, fin, payload));
  }

  @Override
  public void close(int code, String reason) {
    if (state == State.HANDSHAKE) {
      state = State.CLOSED;
      socket.close();
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    sendClose(code, reason);
    cancelTimer();
    timerId = vertx.setTimer(options.closeTimeoutMillis(), id -> {
      timerId = -1;
      log.debug("no close frame from {} within {} ms", remote, options.closeTimeoutMillis());
      socket.close();
    });
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): a close frame with the reason, then a lingering close,
   * since a peer that is still sending would otherwise be reset before it read the close frame.
   */
  private void fail(int code, String reason) {
    if (state != State.OPEN) {
      state = State.CLOSING;
      socket.close();
      return;
    }
    state = State.CLOSING;
    decoder.stop();
    sendClose(code, reason);
    cancelTimer();
    LingeringClose.close(socket, options.closeTimeoutMillis());
  }

  private void sendClose(int code, String reason) {
    closeSent = new CloseReason(code, reason);
    write(encoder.close(closeSent));
  }

  private void write(Buffer frame) {
    socket.write(frame);
    if (socket.writeQueueFull()) {
      // Backpressure: stop reading from a client that does not read its answers.
      socket.pause();
      socket.drainHandler(v -> {
        if (state != State.CLOSED) {
          if (!readingPaused) {
            socket.resume();
          }
          if (handler != null) {
            handler.onDrain();
          }
        }
      });
    }
  }

  private void onHandshakeTimeout() {
    timerId = -1;
    if (state == State.HANDSHAKE) {
      log.info("handshake timeout from {} after {} ms", remote, options.handshakeTimeoutMillis());
      owner.hooks().handshakeRefused(HttpStatus.REQUEST_TIMEOUT);
      state = State.CLOSED;
      socket.close();
    }
  }

  /** Keep-alive, driven by the verticle's periodic sweep. */
  void checkKeepAlive(long nowNanos) {
    long idle = options.idleTimeoutMillis();
    if (state != State.OPEN || idle == 0) {
      return;
    }
    if (pingOutstanding) {
      if (nowNanos - pingSentNanos > options.pongTimeoutMillis() * 1_000_000L) {
        log.info("no pong from {} within {} ms: closing", remote, options.pongTimeoutMillis());
        sendClose(CloseCodes.GOING_AWAY, "pong timeout");
        state = State.CLOSING;
        socket.close();
      }
    } else if (nowNanos - lastReadNanos > idle * 1_000_000L) {
      pingOutstanding = true;
      pingSentNanos = nowNanos;
      write(encoder.ping(Buffer.buffer(0)));
    }
  }

  private void onTcpClosed() {
    cancelTimer();
    State before = state;
    state = State.CLOSED;
    owner.removed(this);
    if (compression != null) {
      compression.close();
    }
    if (admitted) {
      owner.hooks().released();
    }
    if (handler != null) {
      // the close received (the peer's, or its echo of this side's); else the one sent; else none at all (1006)
      CloseReason ended = closeReceived != null ? closeReceived
          : closeSent != null ? closeSent : new CloseReason(CloseCodes.ABNORMAL, "");
      handler.onClosed(ended);
    }
    log.debug("connection from {} closed (was {})", remote, before);
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void onShutdown() {
    if (state == State.CLOSING) {
      // its close frame is out; waiting for the peer's answer would only hold the shutdown up
      socket.close();
    } else if (state == State.OPEN && handler != null) {
      handler.onShutdown(() -> close(CloseCodes.GOING_AWAY, "server shutting down"));
    } else {
      close(CloseCodes.GOING_AWAY, "server shutting down");
    }
  }

  @Override
  public String subprotocol() {
    return subprotocol;
  }

  @Override
  public HttpRequestHead request() {
    return request;
  }

  @Override
  public void pauseReading() {
    readingPaused = true;
    socket.pause();
  }

  @Override
  public void resumeReading() {
    readingPaused = false;
    if (state != State.CLOSED && !socket.writeQueueFull()) {
      socket.resume();
    }
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }
}

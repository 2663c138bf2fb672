package io.braid.protocol.endpoint;

import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.codec.ReasonText;
import io.braid.protocol.codec.Role;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.MessageCodec;
import io.braid.protocol.message.MessagePlacement;
import io.braid.protocol.message.MessageType;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.Inbound;
import io.braid.protocol.mux.Multiplexer;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamLayerException;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.mux.StreamState;
import io.netty.util.collection.IntObjectHashMap;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One side of a Braid connection above WebSocket, for either role and with no socket: the stream layer
 * ({@link Multiplexer}), the frames and messages of the negotiated subprotocol, and an outbox that holds each message
 * until its stream has credit. The owner feeds it the peer's WebSocket messages ({@link #receive}) and hears of them
 * as messages and events ({@link EndpointListener}); it sends messages with {@link #send} and {@link #answer}, and
 * never thinks about frames, credit or batching.
 *
 * <p>What the protocol requires is done here: SETTINGS first, placement checks (a misplaced or malformed message
 * resets its stream, or on stream 0 is reported), RESET on stream errors, GOAWAY on connection errors, credit
 * returned as messages are consumed, nothing larger than the peer's {@code maxFramePayload}, and the bookkeeping of
 * streams that ended ({@link EndpointListener#onStreamClosed}, after the work at hand).
 *
 * <p>Not thread safe: confine an instance to the connection's event loop. Listener callbacks run on that thread,
 * inside the call that caused them; the owner may call back into the endpoint from them.
 */
public final class StreamEndpoint {

  private final Role role;
  private final Role peerRole;
  private final Multiplexer mux;
  private final MessageCodec codec;
  private final FrameWire wire;
  private final EndpointListener listener;
  private final Outbox outbox = new Outbox();
  /** The type of the message that opened each open stream, for the placement checks. */
  private final IntObjectHashMap<MessageType> openers = new IntObjectHashMap<>();
  /** Nested calls in progress: closed streams are announced when the outermost one ends. */
  private int depth;
  /** Streams announced closed by the current {@link #exit}: whether another round is needed. */
  private int announced;
  // made once: a method reference allocates each time it is evaluated, and these run for every message
  private final Consumer<StreamFrame> writeFrame = this::writeFrame;
  private final IntConsumer announceClosed = this::announceClosed;
  /** A connection error or the wrong kind of message: nothing more is taken in. */
  private boolean stopped;

  /**
   * @param local this side's SETTINGS (its windows, stream limit and {@code maxFramePayload})
   * @param subprotocol {@code braid.v1} or {@code braid.v1.json}
   * @param out where WebSocket messages go
   * @param flushLater runs a flush after the work at hand, so that the frames of one turn share a message
   */
  public StreamEndpoint(Role role, StreamSettings local, String subprotocol, WebSocketOut out, Executor flushLater,
      EndpointListener listener) {
    this.role = role;
    this.peerRole = role == Role.CLIENT ? Role.SERVER : Role.CLIENT;
    this.mux = new Multiplexer(role, local);
    this.codec = MessageCodec.forSubprotocol(subprotocol);
    this.wire = FrameWire.of(subprotocol, local.maxFramePayload(), out, flushLater);
    this.listener = listener;
  }

  /** Sends this side's SETTINGS, which must be its first frame. */
  public void start() {
    enter();
    try {
      writeFrame(mux.settingsFrame());
    } finally {
      exit();
    }
  }

  // ------------------------------------------------------------------------------------------ receiving

  /** Takes in one WebSocket message of the peer's: its frames, in order. */
  public void receive(boolean text, Buffer message) {
    if (stopped) {
      return;
    }
    enter();
    try {
      wire.decode(text, message, this::onFrame);
    } catch (StreamLayerException e) {
      connectionError(e.errorCode(), e.reason());
    } catch (FrameWire.WrongMessageKind e) {
      stopped = true;
      listener.onWrongMessageKind(e.getMessage());
    } finally {
      exit();
    }
  }

  /** Takes in nothing more (the owner is closing the connection). */
  public void stopReceiving() {
    stopped = true;
  }

  private void onFrame(StreamFrame frame) {
    if (stopped) {
      return;
    }
    Inbound inbound = mux.receive(frame);
    if (inbound instanceof Inbound.Message message) {
      onData(message.frame(), message.opened());
    } else if (inbound instanceof Inbound.CreditGranted credit) {
      flushQueued(credit.streamId());
      listener.onCredit(credit.streamId());
    } else if (inbound instanceof Inbound.StreamReset reset) {
      listener.onPeerReset(reset.streamId(), reset.errorCode());
    } else if (inbound instanceof Inbound.StreamError error) {
      writeFrame(new StreamFrame.Reset(error.streamId(), error.errorCode()));
      listener.onStreamError(error.streamId(), error.errorCode(), error.reason());
    } else if (inbound instanceof Inbound.ConnectionError error) {
      connectionError(error.errorCode(), error.reason());
    } else if (inbound instanceof Inbound.PeerGoingAway goAway) {
      listener.onGoAway(goAway.frame());
    }
    // Handled, Ignored: nothing to do
  }

  private void onData(StreamFrame.Data data, boolean opened) {
    int id = data.streamId();
    BraidMessage message;
    try {
      message = codec.decode(data.payload());
    } catch (MalformedException e) {
      messageError(id, ReasonCode.MALFORMED_PACKET, e.getMessage());
      return;
    }
    MessageType opener = id == 0 || opened ? null : openers.get(id);
    String violation = MessagePlacement.check(peerRole, id, opener, message.type());
    if (violation != null) {
      messageError(id, ReasonCode.PROTOCOL_ERROR, violation);
      return;
    }
    if (opened) {
      openers.put(id, message.type());
    }
    listener.onMessage(id, opened, data.endStream(), message);
  }

  /** A message that does not decode or is misplaced: its stream is reset; on stream 0 the owner decides. */
  private void messageError(int id, int reasonCode, String reason) {
    mux.consumed(id); // it will never be processed: its credit goes back
    if (id == 0) {
      listener.onControlError(reasonCode, reason);
      return;
    }
    writeFrame(new StreamFrame.Reset(id, ErrorCode.MESSAGE_ERROR));
    listener.onStreamError(id, ErrorCode.MESSAGE_ERROR, reason);
  }

  private void connectionError(long errorCode, String reason) {
    stopped = true;
    writeFrame(new StreamFrame.GoAway(mux.lastPeerStreamId(), errorCode, ReasonText.of(reason), null));
    listener.onConnectionError(errorCode, reason);
  }

  // ------------------------------------------------------------------------------------------ sending

  /**
   * Sends {@code message} on {@code streamId}: now if the stream has credit and nothing waits before it, else once
   * it has ({@link SendResult#QUEUED}). Stream 0 is never flow controlled.
   */
  public SendResult send(int streamId, BraidMessage message, boolean endStream) {
    return send(streamId, message, endStream, false);
  }

  /**
   * Sends {@code message} as the answer to a message received on {@code streamId}, which it consumes once it is
   * written: the peer gets that credit back only then, so a peer that withholds credit for the answers gets none for
   * more requests, and what this side owes it stays bounded by the window.
   */
  public SendResult answer(int streamId, BraidMessage message, boolean endStream) {
    return send(streamId, message, endStream, true);
  }

  private SendResult send(int streamId, BraidMessage message, boolean endStream, boolean consumes) {
    enter();
    try {
      if (!canCarry(streamId)) {
        consumeIf(consumes, streamId);
        return SendResult.CLOSED;
      }
      StreamFrame.Data frame = new StreamFrame.Data(streamId, endStream, codec.encode(message));
      if (wire.sizeOf(frame) > mux.peerSettings().maxFramePayload()) {
        consumeIf(consumes, streamId);
        return SendResult.TOO_LARGE;
      }
      if (streamId != 0 && openers.get(streamId) == null) {
        openers.put(streamId, message.type()); // this side's first message opens its stream
      }
      if (streamId != 0 && (!outbox.isEmpty(streamId) || mux.sendCredit(streamId) == 0)) {
        outbox.add(new Outbox.Pending(frame, consumes));
        return SendResult.QUEUED;
      }
      writeFrame(frame);
      consumeIf(consumes, streamId);
      return SendResult.SENT;
    } finally {
      exit();
    }
  }

  /** Sends RESET on {@code streamId}: both sides are done with it, and what waited for credit there is dropped. */
  public void reset(int streamId, long errorCode) {
    enter();
    try {
      writeFrame(new StreamFrame.Reset(streamId, errorCode));
    } finally {
      exit();
    }
  }

  /** Sends GOAWAY: this side accepts no new streams from the peer beyond those it has seen. */
  public void goAway(long errorCode, String reason, String serverReference) {
    enter();
    try {
      writeFrame(new StreamFrame.GoAway(mux.lastPeerStreamId(), errorCode, ReasonText.of(reason), serverReference));
    } finally {
      exit();
    }
  }

  /** This side is done with one message received on {@code streamId}: its credit goes back to the peer. */
  public void consumed(int streamId) {
    enter();
    try {
      mux.consumed(streamId);
    } finally {
      exit();
    }
  }

  /** Writes the frames batched so far now, instead of at the end of the turn. */
  public void flush() {
    wire.flush();
  }

  private void flushQueued(int streamId) {
    if (streamId != 0) {
      flushStream(streamId);
      return;
    }
    for (int id : outbox.streams()) {
      flushStream(id);
    }
  }

  private void flushStream(int streamId) {
    while (!outbox.isEmpty(streamId) && mux.sendCredit(streamId) > 0) {
      writeData(outbox.poll(streamId));
    }
  }

  private void writeData(Outbox.Pending pending) {
    writeFrame(pending.frame());
    consumeIf(pending.consumes(), pending.frame().streamId());
  }

  private void writeFrame(StreamFrame frame) {
    mux.sent(frame);
    wire.write(frame);
  }

  private void consumeIf(boolean consumes, int streamId) {
    if (consumes) {
      mux.consumed(streamId);
    }
  }

  // ------------------------------------------------------------------------------------------ state

  /** Opens a new stream of this side's; its first message opens it on the wire. */
  public int openStream() {
    return mux.openStream();
  }

  /** Whether this side may open a new stream now (the peer's limit, GOAWAY). */
  public boolean canOpenStream() {
    return mux.canOpenStream();
  }

  /** Whether a message on {@code streamId} would be sent now rather than queued. */
  public boolean canSend(int streamId) {
    return canCarry(streamId) && outbox.isEmpty(streamId) && mux.sendCredit(streamId) > 0;
  }

  /** Whether messages wait for credit on {@code streamId}. */
  public boolean hasQueued(int streamId) {
    return !outbox.isEmpty(streamId);
  }

  public StreamState state(int streamId) {
    return mux.state(streamId);
  }

  /** The type of the message that opened {@code streamId}, or null if it is not open. */
  public MessageType opener(int streamId) {
    return openers.get(streamId);
  }

  /** What the peer allows this side: its SETTINGS once they arrived, the defaults before. */
  public StreamSettings peerSettings() {
    return mux.peerSettings();
  }

  public Role role() {
    return role;
  }

  public String subprotocol() {
    return codec.subprotocol();
  }

  /** Streams not yet closed, both sides' together. */
  public int openStreams() {
    return mux.openStreams();
  }

  /** Whether {@code streamId} can still carry a message from this side: open for sending, no END_STREAM queued. */
  private boolean canCarry(int streamId) {
    if (streamId == 0) {
      return true;
    }
    StreamState state = mux.state(streamId);
    boolean open = state == StreamState.OPEN || state == StreamState.HALF_CLOSED_REMOTE;
    return open && !outbox.endQueued(streamId);
  }

  private void enter() {
    depth++;
  }

  /** Ends a call; the outermost one sends the stream layer's own frames and announces the streams that closed. */
  private void exit() {
    if (depth > 1) {
      depth--;
      return;
    }
    try {
      do {
        announced = 0;
        mux.drainOutbound(writeFrame);
        mux.drainClosed(announceClosed);
      } while (announced > 0);
    } finally {
      depth--;
    }
  }

  private void announceClosed(int id) {
    announced++;
    int owed = outbox.drop(id);
    for (int i = 0; i < owed; i++) {
      mux.consumed(id); // the connection's credit: the stream's own went with it
    }
    openers.remove(id);
    listener.onStreamClosed(id);
  }
}

package io.braid.protocol.mux;

import io.braid.protocol.codec.Role;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The stream layer of one connection, for one side: stream ids, the stream state machine, credit
 * based flow control and GOAWAY. It holds no sockets and encodes nothing: the connection feeds it
 * every frame it receives ({@link #receive}) and tells it every frame it sends ({@link #sent}).
 *
 * <ul>
 *   <li>Stream 0 is the control stream: always open, never flow controlled, never ended.
 *   <li>Clients open odd stream ids, servers even ones, each strictly increasing; a stream opens
 *       with its first DATA frame and an id is never reused.
 *   <li>Credit counts DATA frames: a side may send a DATA frame on a stream only while both that
 *       stream's and the connection's credit are positive. The receiver returns credit with
 *       WINDOW_UPDATE as the application {@linkplain #consumed(int) consumes} messages, so a slow
 *       consumer stops its sender and bounds memory.
 * </ul>
 *
 * <p>A peer's mistakes come back as {@link Inbound} values, never exceptions; this side's own misuse
 * (sending without credit, on a closed stream) throws {@link IllegalStateException} since it is a
 * bug. Not thread safe: confine an instance to the connection's event loop.
 */
public final class Multiplexer {
  private final Role role;
  private final StreamSettings local;
  private StreamSettings peer = StreamSettings.DEFAULTS;

  private final IntObjectHashMap<MuxStream> streams = new IntObjectHashMap<>();
  private int nextLocalStreamId;
  private int highestLocalStreamIdSent;
  private int highestPeerStreamId;
  private int peerOpenStreams;
  private int localOpenStreams;

  private int connectionSendWindow = StreamSettings.DEFAULTS.initialConnectionWindow();
  private int connectionReceiveWindow;
  private int connectionConsumed;

  private boolean settingsSent;
  private boolean settingsReceived;
  private int goAwaySentLastId = -1;
  private StreamFrame.GoAway goAwayReceived;

  /** Streams this side reset lately: frames the peer sent meanwhile are dropped, not errors. */
  private final RecentResets recentResets = new RecentResets();
  private final ArrayDeque<StreamFrame> outbound = new ArrayDeque<>();
  /** Streams closed since the owner last asked ({@link #drainClosed}). */
  private final IntArrayQueue closed = new IntArrayQueue();

  /**
   * @throws IllegalArgumentException if {@code local} has a window below the defaults, which the peer
   *     would refuse as a connection error
   */
  public Multiplexer(Role role, StreamSettings local) {
    String violation = local.violation();
    if (violation != null) {
      throw new IllegalArgumentException("local SETTINGS: " + violation);
    }
    this.role = role;
    this.local = local;
    this.nextLocalStreamId = role == Role.CLIENT ? 1 : 2;
    this.connectionReceiveWindow = local.initialConnectionWindow();
  }

  /** This side's SETTINGS: the first frame it must send. */
  public StreamFrame.Settings settingsFrame() {
    return new StreamFrame.Settings(local);
  }

  /** Applies a frame received from the peer and says what to do with it. */
  public Inbound receive(StreamFrame frame) {
    if (!settingsReceived && !(frame instanceof StreamFrame.Settings)) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "the first frame must be SETTINGS");
    }
    if (frame instanceof StreamFrame.Data data) {
      return receiveData(data);
    }
    if (frame instanceof StreamFrame.WindowUpdate update) {
      return receiveWindowUpdate(update);
    }
    if (frame instanceof StreamFrame.Reset reset) {
      return receiveReset(reset);
    }
    if (frame instanceof StreamFrame.Settings settings) {
      return receiveSettings(settings.settings());
    }
    return receiveGoAway((StreamFrame.GoAway) frame);
  }

  private Inbound receiveData(StreamFrame.Data data) {
    int id = data.streamId();
    if (id == 0) {
      if (data.endStream()) {
        return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "END_STREAM on the control stream");
      }
      return new Inbound.Message(data, false);
    }
    // Every DATA frame counts against the connection's credit, whatever becomes of it.
    if (connectionReceiveWindow == 0) {
      return new Inbound.ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection's credit");
    }
    connectionReceiveWindow--;
    Inbound result = receiveStreamData(data);
    if (!(result instanceof Inbound.Message)) {
      // Dropped: the application will never consume it, so its credit goes back now.
      connectionConsumed(1);
    }
    return result;
  }

  private Inbound receiveStreamData(StreamFrame.Data data) {
    int id = data.streamId();
    if (isLocal(id) && id > highestLocalStreamIdSent) {
      // Allocated here perhaps, but never sent on: the peer cannot know the stream.
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA on stream " + id + " that this side never opened");
    }
    MuxStream stream = streams.get(id);
    boolean opened = stream == null;
    if (opened) {
      Inbound refusal = refuseNewStream(id);
      if (refusal != null) {
        return refusal;
      }
      stream = new MuxStream(id, peer.initialStreamWindow(), local.initialStreamWindow());
      streams.put(id, stream);
      peerOpenStreams++;
    } else if (stream.state == StreamState.HALF_CLOSED_REMOTE) {
      return streamError(stream, ErrorCode.STREAM_CLOSED, "DATA after END_STREAM on stream " + id);
    }
    if (stream.receiveWindow == 0) {
      return streamError(stream, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the credit of stream " + id);
    }
    stream.receiveWindow--;
    if (data.endStream()) {
      if (stream.state == StreamState.HALF_CLOSED_LOCAL) {
        close(stream);
      } else {
        stream.state = StreamState.HALF_CLOSED_REMOTE;
      }
    }
    return new Inbound.Message(data, opened);
  }

  /**
   * Why DATA on {@code id}, a stream not open here, cannot open it (closed, this side's own, after GOAWAY, past the
   * limit), or null if it opens a new peer stream.
   */
  private Inbound refuseNewStream(int id) {
    if (!isIdle(id)) {
      if (recentResets.contains(id)) {
        return new Inbound.Ignored("DATA on stream " + id + " after this side reset it");
      }
      recentResets.add(id);
      return new Inbound.StreamError(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id);
    }
    if (isLocal(id)) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "DATA on stream " + id + " that this side never opened");
    }
    if (goAwaySentLastId >= 0 && id > goAwaySentLastId) {
      return new Inbound.Ignored("stream " + id + " opened after GOAWAY");
    }
    highestPeerStreamId = id;
    if (peerOpenStreams >= local.maxConcurrentStreams()) {
      recentResets.add(id);
      return new Inbound.StreamError(id, ErrorCode.REFUSED_STREAM,
          "more than " + local.maxConcurrentStreams() + " concurrent streams");
    }
    return null;
  }

  private Inbound receiveWindowUpdate(StreamFrame.WindowUpdate update) {
    int id = update.streamId();
    if (id == 0) {
      if ((long) connectionSendWindow + update.increment() > StreamSettings.MAX_WINDOW) {
        return new Inbound.ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "connection credit over 2^31-1");
      }
      connectionSendWindow += update.increment();
      return new Inbound.CreditGranted(0);
    }
    MuxStream stream = streams.get(id);
    if (stream == null) {
      if (isIdle(id)) {
        return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id);
      }
      return new Inbound.Ignored("WINDOW_UPDATE on closed stream " + id);
    }
    if ((long) stream.sendWindow + update.increment() > StreamSettings.MAX_WINDOW) {
      return streamError(stream, ErrorCode.FLOW_CONTROL_ERROR, "credit of stream " + id + " over 2^31-1");
    }
    stream.sendWindow += update.increment();
    return new Inbound.CreditGranted(id);
  }

  private Inbound receiveReset(StreamFrame.Reset reset) {
    int id = reset.streamId();
    if (id == 0) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "RESET on the control stream");
    }
    MuxStream stream = streams.get(id);
    if (stream == null) {
      if (isIdle(id)) {
        return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "RESET on idle stream " + id);
      }
      return new Inbound.Ignored("RESET on closed stream " + id);
    }
    close(stream);
    return new Inbound.StreamReset(id, reset.errorCode());
  }

  private Inbound receiveSettings(StreamSettings settings) {
    if (settingsReceived) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "SETTINGS may be sent only once");
    }
    String violation = settings.violation();
    if (violation != null) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "SETTINGS: " + violation);
    }
    settingsReceived = true;
    // Frames sent so far used the defaults; settings can only raise the windows.
    int streamDelta = settings.initialStreamWindow() - peer.initialStreamWindow();
    connectionSendWindow += settings.initialConnectionWindow() - peer.initialConnectionWindow();
    for (MuxStream stream : streams.values()) {
      stream.sendWindow += streamDelta;
    }
    peer = settings;
    return new Inbound.CreditGranted(0);
  }

  private Inbound receiveGoAway(StreamFrame.GoAway goAway) {
    if (goAwayReceived != null && goAway.lastStreamId() > goAwayReceived.lastStreamId()) {
      return new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "GOAWAY last stream id may not grow");
    }
    goAwayReceived = goAway;
    // Streams this side opened above the last id were not processed: they are closed.
    for (MuxStream stream : streams.values().toArray(new MuxStream[0])) {
      if (isLocal(stream.id) && stream.id > goAway.lastStreamId()) {
        close(stream);
      }
    }
    return new Inbound.PeerGoingAway(goAway);
  }

  private Inbound streamError(MuxStream stream, long code, String reason) {
    close(stream);
    recentResets.add(stream.id);
    return new Inbound.StreamError(stream.id, code, reason);
  }

  /** Whether this side may open a new stream now. */
  public boolean canOpenStream() {
    return goAwayReceived == null
        && nextLocalStreamId > 0
        && localOpenStreams < peer.maxConcurrentStreams();
  }

  /**
   * Allocates the next stream id of this side and opens it; its first DATA frame tells the peer.
   * Streams must see their first DATA in the order they were allocated: the first DATA on a stream
   * closes every lower one still unused, as the peer takes them as closed.
   *
   * @throws IllegalStateException if {@link #canOpenStream()} is false
   */
  public int openStream() {
    if (!canOpenStream()) {
      throw new IllegalStateException(goAwayReceived != null ? "peer sent GOAWAY"
          : nextLocalStreamId <= 0 ? "stream ids exhausted" : "peer allows " + peer.maxConcurrentStreams() + " streams");
    }
    int id = nextLocalStreamId;
    nextLocalStreamId = id >= StreamFrame.MAX_STREAM_ID - 1 ? -1 : id + 2;
    streams.put(id, new MuxStream(id, peer.initialStreamWindow(), local.initialStreamWindow()));
    localOpenStreams++;
    return id;
  }

  /**
   * DATA frames this side may send on {@code streamId} now: the smaller of the stream's and the
   * connection's credit; unbounded on stream 0; 0 on a stream that cannot carry DATA.
   */
  public int sendCredit(int streamId) {
    if (streamId == 0) {
      return Integer.MAX_VALUE;
    }
    MuxStream stream = streams.get(streamId);
    if (stream == null || stream.state == StreamState.HALF_CLOSED_LOCAL) {
      return 0;
    }
    return Math.max(0, Math.min(stream.sendWindow, connectionSendWindow));
  }

  /**
   * Records a frame this side is sending.
   *
   * @throws IllegalStateException if the frame breaks the rules: DATA without credit or on a stream
   *     that is not open for sending, END_STREAM on stream 0, SETTINGS twice, a GOAWAY whose last
   *     stream id is above that of an earlier one
   */
  public void sent(StreamFrame frame) {
    if (frame instanceof StreamFrame.Settings) {
      if (settingsSent) {
        throw new IllegalStateException("SETTINGS already sent");
      }
      settingsSent = true;
      return;
    }
    if (!settingsSent) {
      throw new IllegalStateException("the first frame must be SETTINGS");
    }
    if (frame instanceof StreamFrame.Data data) {
      sentData(data);
    } else if (frame instanceof StreamFrame.Reset reset) {
      int id = reset.streamId();
      if (id == 0) {
        throw new IllegalStateException("the control stream cannot be reset");
      }
      if (isLocal(id) && id > highestLocalStreamIdSent) {
        // The peer has never seen this id: a RESET would be a connection error there.
        throw new IllegalStateException("stream " + id + " was never opened on the wire");
      }
      MuxStream stream = streams.get(id);
      if (stream != null) {
        close(stream);
      }
      recentResets.add(reset.streamId());
    } else if (frame instanceof StreamFrame.GoAway goAway) {
      if (goAwaySentLastId >= 0 && goAway.lastStreamId() > goAwaySentLastId) {
        throw new IllegalStateException("GOAWAY last stream id may not grow");
      }
      goAwaySentLastId = goAway.lastStreamId();
    }
  }

  private void sentData(StreamFrame.Data data) {
    int id = data.streamId();
    if (id == 0) {
      if (data.endStream()) {
        throw new IllegalStateException("the control stream cannot be ended");
      }
      return;
    }
    MuxStream stream = streams.get(id);
    if (stream == null || stream.state == StreamState.HALF_CLOSED_LOCAL) {
      throw new IllegalStateException("stream " + id + " is not open for sending");
    }
    if (stream.sendWindow <= 0 || connectionSendWindow <= 0) {
      throw new IllegalStateException("no credit to send on stream " + id);
    }
    if (isLocal(id) && id > highestLocalStreamIdSent) {
      openedOnTheWire(id);
    }
    stream.sendWindow--;
    connectionSendWindow--;
    if (data.endStream()) {
      if (stream.state == StreamState.HALF_CLOSED_REMOTE) {
        close(stream);
      } else {
        stream.state = StreamState.HALF_CLOSED_LOCAL;
      }
    }
  }

  /**
   * The first DATA on a stream of this side opens it at the peer, which takes every lower idle id of
   * this side as closed (RFC 9113 §5.1.1): streams allocated with {@link #openStream} and not yet
   * used, below {@code id}, are closed here too.
   */
  private void openedOnTheWire(int id) {
    // only the gap between the last id sent and this one is visited, not every stream
    int firstUnsent = highestLocalStreamIdSent == 0 ? (role == Role.CLIENT ? 1 : 2) : highestLocalStreamIdSent + 2;
    for (int unsent = firstUnsent; unsent < id; unsent += 2) {
      MuxStream stream = streams.get(unsent);
      if (stream != null) {
        close(stream);
      }
    }
    highestLocalStreamIdSent = id;
  }

  /**
   * Records that the application finished with one message received on {@code streamId}. Credit
   * goes back to the peer in batches of half a window (see {@link #drainOutbound}). Call it for
   * every delivered {@link Inbound.Message}, also when its stream has been reset or closed since:
   * the message still holds connection credit until then.
   */
  public void consumed(int streamId) {
    if (streamId == 0) {
      return;
    }
    connectionConsumed(1);
    MuxStream stream = streams.get(streamId);
    if (stream != null && stream.state != StreamState.HALF_CLOSED_REMOTE) {
      stream.consumed++;
      if (stream.consumed >= Math.max(1, local.initialStreamWindow() / 2)) {
        stream.receiveWindow += stream.consumed;
        outbound.add(new StreamFrame.WindowUpdate(streamId, stream.consumed));
        stream.consumed = 0;
      }
    }
  }

  private void connectionConsumed(int count) {
    connectionConsumed += count;
    if (connectionConsumed >= Math.max(1, local.initialConnectionWindow() / 2)) {
      connectionReceiveWindow += connectionConsumed;
      outbound.add(new StreamFrame.WindowUpdate(0, connectionConsumed));
      connectionConsumed = 0;
    }
  }

  /**
   * Hands over the ids of the streams that reached CLOSED since the last call (both sides ended, a RESET either way,
   * GOAWAY, or an unused id skipped), each once, so that the owner can forget what it keeps per stream.
   */
  public void drainClosed(IntConsumer sink) {
    while (!closed.isEmpty()) {
      sink.accept(closed.poll());
    }
  }

  /** Hands over the frames the stream layer itself needs sent (credit updates), oldest first. */
  public void drainOutbound(Consumer<StreamFrame> sink) {
    StreamFrame frame;
    while ((frame = outbound.poll()) != null) {
      sink.accept(frame);
    }
  }

  public StreamState state(int streamId) {
    if (streamId == 0) {
      return StreamState.OPEN;
    }
    MuxStream stream = streams.get(streamId);
    if (stream != null) {
      return stream.state;
    }
    return isIdle(streamId) ? StreamState.IDLE : StreamState.CLOSED;
  }

  /** The highest stream id the peer opened: the last id to name in a GOAWAY. */
  public int lastPeerStreamId() {
    return highestPeerStreamId;
  }

  /** Streams not yet closed, both sides' together (stream 0 excluded). */
  public int openStreams() {
    return streams.size();
  }

  /** What the peer allows this side, once its SETTINGS arrived; the defaults before. */
  public StreamSettings peerSettings() {
    return peer;
  }

  public StreamSettings localSettings() {
    return local;
  }

  public Role role() {
    return role;
  }

  private boolean isLocal(int id) {
    return (id & 1) == (role == Role.CLIENT ? 1 : 0);
  }

  private boolean isIdle(int id) {
    if (isLocal(id)) {
      return nextLocalStreamId > 0 && id >= nextLocalStreamId;
    }
    return id > highestPeerStreamId;
  }

  private void close(MuxStream stream) {
    stream.state = StreamState.CLOSED;
    streams.remove(stream.id);
    closed.add(stream.id);
    if (isLocal(stream.id)) {
      localOpenStreams--;
    } else {
      peerOpenStreams--;
    }
  }
}

package io.braid.protocol.mux;

/**
 * Error codes of the stream layer, carried by RESET (a stream error) and GOAWAY (a connection
 * error or a graceful shutdown). Modelled on HTTP/2 (RFC 9113 §7); unknown codes received from a
 * peer are kept as numbers and treated as {@link #INTERNAL_ERROR}.
 */
public final class ErrorCode {
  /** Graceful: the stream or connection ends normally. */
  public static final int NO_ERROR = 0x0;
  /** The peer broke a rule of the stream layer. */
  public static final int PROTOCOL_ERROR = 0x1;
  /** The sender hit an unexpected internal error. */
  public static final int INTERNAL_ERROR = 0x2;
  /** The peer sent more DATA frames than its credit allowed, or overflowed a window. */
  public static final int FLOW_CONTROL_ERROR = 0x3;
  /** A frame arrived on a stream that was already closed for that direction. */
  public static final int STREAM_CLOSED = 0x4;
  /** A frame's length broke a limit or its payload did not fit its type. */
  public static final int FRAME_SIZE_ERROR = 0x5;
  /** The stream was refused before any processing, e.g. past the stream limit; safe to retry. */
  public static final int REFUSED_STREAM = 0x6;
  /** The stream is no longer needed (e.g. unsubscribe by closing the stream abruptly). */
  public static final int CANCEL = 0x7;
  /** A DATA frame's message could not be decoded or is not allowed on that stream. */
  public static final int MESSAGE_ERROR = 0x8;
  /** The connection is going away and the client should reconnect elsewhere (GOAWAY only). */
  public static final int RECONNECT = 0x9;

  private ErrorCode() {}

  public static String name(long code) {
    switch ((int) code) {
      case NO_ERROR: return "no_error";
      case PROTOCOL_ERROR: return "protocol_error";
      case INTERNAL_ERROR: return "internal_error";
      case FLOW_CONTROL_ERROR: return "flow_control_error";
      case STREAM_CLOSED: return "stream_closed";
      case FRAME_SIZE_ERROR: return "frame_size_error";
      case REFUSED_STREAM: return "refused_stream";
      case CANCEL: return "cancel";
      case MESSAGE_ERROR: return "message_error";
      case RECONNECT: return "reconnect";
      default: return "error_" + code;
    }
  }

  /** The code named by {@link #name(long)}, or -1 if the name is unknown. */
  public static long forName(String name) {
    for (int code = NO_ERROR; code <= RECONNECT; code++) {
      if (name(code).equals(name)) {
        return code;
      }
    }
    if (name.startsWith("error_")) {
      try {
        long code = Long.parseLong(name.substring(6));
        return code >= 0 && code <= 0xFFFF_FFFFL ? code : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }
}

package io.braid.protocol.ws;

/** Close status codes of RFC 6455 §7.4 and the IANA registry, and which may appear on the wire. */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  public static final int UNSUPPORTED_DATA = 1003;
  /** Reserved: never sent on the wire; reported locally when a close frame had no code. */
  public static final int NO_STATUS = 1005;
  /** Reserved: never sent on the wire; reported locally when TCP closed without a close frame. */
  public static final int ABNORMAL = 1006;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY_VIOLATION = 1008;
  public static final int MESSAGE_TOO_BIG = 1009;
  public static final int MANDATORY_EXTENSION = 1010;
  public static final int INTERNAL_ERROR = 1011;

  private CloseCodes() {}

  /**
   * Whether {@code code} may be carried by a close frame: 1000-1003 and 1007-1014 (RFC 6455 §7.4.1
   * and the IANA registry), or 3000-4999 (registered and private use, §7.4.2). 1004, 1005, 1006
   * and 1015 are reserved and MUST NOT be sent.
   */
  public static boolean isValidOnWire(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}

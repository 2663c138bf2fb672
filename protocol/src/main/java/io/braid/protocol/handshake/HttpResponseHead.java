package io.braid.protocol.handshake;

/** The status line and header fields of an HTTP/1.1 response (RFC 9112 §4). */
public record HttpResponseHead(int majorVersion, int minorVersion, int status, String reasonPhrase, HttpHeaders headers) {}

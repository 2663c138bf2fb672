package io.braid.bench.load;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * One load connection in a closed loop: it keeps {@code inFlight} messages outstanding and sends
 * the next one when an echo arrives. An echo server answers in order, so the send time of each
 * echo is the oldest one in a small ring.
 *
 * <p>Confined to the connection's event loop: {@link #start()} must be run on {@link #context()}.
 */
final class ClosedLoopConnection {
  private final WebSocket ws;
  private final Context context;
  private final Meter meter;
  private final byte[] payload;
  private final String text;
  private final long[] sentAt;
  private int head;
  private int outstanding;

  ClosedLoopConnection(WebSocket ws, Context context, Meter meter, byte[] payload, boolean asText, int inFlight) {
    this.ws = ws;
    this.context = context;
    this.meter = meter;
    this.payload = payload;
    this.text = asText ? new String(payload, java.nio.charset.StandardCharsets.US_ASCII) : null;
    this.sentAt = new long[inFlight];
    if (asText) {
      ws.textMessageHandler(s -> onEcho(s.length()));
    } else {
      ws.binaryMessageHandler(b -> onEcho(b.length()));
    }
    ws.exceptionHandler(e -> meter.error());
    ws.closeHandler(v -> {
      if (!meter.stopping()) {
        meter.error();
      }
    });
  }

  Context context() {
    return context;
  }

  void start() {
    for (int i = 0; i < sentAt.length; i++) {
      send();
    }
  }

  private void send() {
    sentAt[(head + outstanding) % sentAt.length] = System.nanoTime();
    outstanding++;
    if (text != null) {
      ws.writeTextMessage(text);
    } else {
      // A fresh buffer each time: the client must be free to do what it likes with what it sends.
      ws.writeBinaryMessage(Buffer.buffer(payload));
    }
  }

  private void onEcho(int length) {
    long now = System.nanoTime();
    if (outstanding == 0) {
      meter.error();
      return;
    }
    long sent = sentAt[head];
    head = (head + 1) % sentAt.length;
    outstanding--;
    if (length != payload.length) {
      meter.error();
    } else {
      meter.record(now - sent);
    }
    if (!meter.stopping()) {
      send();
    }
  }
}

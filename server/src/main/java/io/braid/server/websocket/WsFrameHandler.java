package io.braid.server.websocket;

import io.braid.protocol.ws.WsFrame;
import io.vertx.core.buffer.Buffer;

/**
 * A handler that takes data frames as they arrive, fragments unjoined, instead of whole messages: for the echo
 * endpoint, which sends each frame back as it came. Called on the connection's event loop only.
 */
public interface WsFrameHandler extends WsHandler {

  /** A text, binary or continuation frame. */
  void onDataFrame(WsFrame frame);

  /** Never called: the frames come to {@link #onDataFrame}. */
  @Override
  default void onMessage(boolean text, Buffer payload) {
    throw new UnsupportedOperationException("a frame handler takes frames");
  }
}

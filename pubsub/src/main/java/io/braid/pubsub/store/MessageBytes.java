package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;

/**
 * An {@link ApplicationMessage} as bytes, in the layout the store keeps it in (every property, its id, time of
 * acceptance and history position): for carrying an accepted message to another node of the same version. Stateless;
 * any thread.
 */
public final class MessageBytes {

  private MessageBytes() {
  }

  public static byte[] encode(ApplicationMessage message) {
    return StoreCodec.encodeMessage(message);
  }

  /**
   * The message encoded in {@code bytes}.
   *
   * @throws StoreException if the bytes are not an encoded message (unknown layout, cut short, trailing bytes)
   */
  public static ApplicationMessage decode(byte[] bytes) {
    return StoreCodec.decodeMessage(bytes);
  }
}

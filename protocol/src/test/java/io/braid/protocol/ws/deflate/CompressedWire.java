package io.braid.protocol.ws.deflate;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.MessageAssembler;
import io.braid.protocol.ws.MessageSink;
import io.braid.protocol.ws.WsLimits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One end of a compressed connection under test: a sender, or a receiver that records messages. */
final class CompressedWire {
  private CompressedWire() {}

  /** Records whole messages as {@code TEXT Hello} or {@code BINARY <hex>}. */
  static final class Received implements MessageSink {
    final List<String> messages = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();

    @Override
    public void onText(Buffer utf8) {
      payloads.add(utf8.getBytes());
      messages.add("TEXT " + utf8.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onBinary(Buffer data) {
      payloads.add(data.getBytes());
      messages.add("BINARY " + HexFormat.of().formatHex(data.getBytes()));
    }
  }

  /** A receiver in {@code role} with the extension agreed as {@code agreed}. */
  record Receiver(FrameDecoder decoder, Received received, PerMessageDeflate extension) {
    void decode(Buffer bytes) {
      decoder.decode(bytes);
    }
  }

  static Receiver receiver(Role role, DeflateParameters agreed, WsLimits limits) {
    Received received = new Received();
    PerMessageDeflate extension = new PerMessageDeflate(agreed, role, DeflateConfig.DEFAULT, limits.maxMessageSize());
    FrameDecoder decoder = new FrameDecoder(role, limits, extension.inflating(new MessageAssembler(received)))
        .allowCompressedMessages();
    return new Receiver(decoder, received, extension);
  }

  static Receiver receiver(Role role, DeflateParameters agreed) {
    return receiver(role, agreed, WsLimits.DEFAULT);
  }

  /** A sender in {@code role}: its frames, encoded and compressed as the extension decides. */
  record Sender(FrameEncoder encoder, PerMessageDeflate extension) {
    Buffer frame(int opcode, boolean fin, Buffer payload) {
      return extension.encode(encoder, opcode, fin, payload);
    }
  }

  static Sender sender(Role role, DeflateParameters agreed, DeflateConfig config) {
    return new Sender(FrameEncoder.forRole(role), new PerMessageDeflate(agreed, role, config, WsLimits.DEFAULT_MAX));
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace("0x", "").replace(" ", ""));
  }
}

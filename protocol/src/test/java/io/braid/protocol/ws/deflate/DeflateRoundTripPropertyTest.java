package io.braid.protocol.ws.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever is sent, under whatever agreement and fragmentation, arrives unchanged. */
class DeflateRoundTripPropertyTest {
  @Provide
  Arbitrary<DeflateParameters> agreements() {
    return Arbitraries.of(PerMessageDeflateTest.everyAgreement());
  }

  @Provide
  Arbitrary<byte[]> messages() {
    Arbitrary<byte[]> repetitive = Arbitraries.bytes().between((byte) 'a', (byte) 'e').array(byte[].class).ofMaxSize(20_000);
    Arbitrary<byte[]> noisy = Arbitraries.bytes().array(byte[].class).ofMaxSize(3_000);
    return Arbitraries.oneOf(repetitive, noisy);
  }

  @Property(tries = 300)
  void messagesSurviveCompressionBothWays(
      @ForAll("agreements") DeflateParameters agreed,
      @ForAll @Size(max = 6) List<@From("messages") byte[]> messages,
      @ForAll @IntRange(min = 0, max = 5000) int fragment,
      @ForAll @IntRange(min = 0, max = 300) int minBytes,
      @ForAll boolean keepContext,
      @ForAll boolean fromServer) {
    Role from = fromServer ? Role.SERVER : Role.CLIENT;
    CompressedWire.Sender sender = CompressedWire.sender(from, agreed, new DeflateConfig(1 + fragment % 9, minBytes, keepContext));
    CompressedWire.Receiver receiver = CompressedWire.receiver(fromServer ? Role.CLIENT : Role.SERVER, agreed);
    for (byte[] message : messages) {
      int step = fragment == 0 ? Math.max(1, message.length) : fragment;
      int at = 0;
      do {
        int end = Math.min(message.length, at + step);
        receiver.decode(sender.frame(at == 0 ? Opcode.BINARY : Opcode.CONTINUATION, end == message.length,
            Buffer.buffer(Arrays.copyOfRange(message, at, end))));
        at = end;
      } while (at < message.length);
    }
    assertThat(receiver.received().payloads).containsExactlyElementsOf(messages);
  }
}

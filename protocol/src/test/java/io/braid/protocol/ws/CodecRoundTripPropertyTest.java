package io.braid.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Any conversation — text and binary messages in random fragments, pings and pongs between and
 * inside them, payloads of every length form, and maybe a close at the end — encoded by one role,
 * cut into reads at random points and decoded by the other role arrives exactly as sent, frame by
 * frame and message by message.
 */
class CodecRoundTripPropertyTest {
  /** One frame as the sender meant it. */
  record Frame(int opcode, boolean fin, byte[] payload) {
    String describe() {
      String payload = Payloads.describe(this.payload);
      return Opcode.name(opcode) + (fin ? " fin" : "") + (payload.isEmpty() ? "" : " " + payload);
    }
  }

  /** Something sent: its frames and what the receiving {@link MessageSink} must see. */
  interface Item {
    List<Frame> frames();

    List<String> events();
  }

  record Control(int opcode, byte[] payload) implements Item {
    static Control random(int opcode, int length, long seed) {
      byte[] payload = new byte[length];
      new Random(seed).nextBytes(payload);
      return new Control(opcode, payload);
    }

    @Override
    public List<Frame> frames() {
      return List.of(new Frame(opcode, true, payload));
    }

    @Override
    public List<String> events() {
      return List.of(opcode == Opcode.PING ? MessageRecorder.ping(payload) : MessageRecorder.pong(payload));
    }

    @Override
    public String toString() {
      return Opcode.name(opcode) + " of " + payload.length + " bytes";
    }
  }

  record Close(int code, String reason) implements Item {
    @Override
    public List<Frame> frames() {
      return List.of(new Frame(Opcode.CLOSE, true, new CloseReason(code, reason).toPayload().getBytes()));
    }

    @Override
    public List<String> events() {
      return List.of(MessageRecorder.close(code, reason));
    }
  }

  /**
   * A data message cut into fragments at random offsets (empty fragments included, and text cut
   * inside code points), with control frames between some of them.
   */
  record Message(int opcode, byte[] payload, List<Frame> frames, List<String> events) implements Item {
    static Message random(int opcode, int length, int fragmentCount, int controlsInside, long seed) {
      Random random = new Random(seed);
      byte[] payload = opcode == Opcode.TEXT ? randomUtf8(length, random) : randomBytes(length, random);
      TreeSet<Integer> cuts = new TreeSet<>();
      for (int i = 1; i < fragmentCount; i++) {
        cuts.add(random.nextInt(length + 1));
      }
      List<Integer> bounds = new ArrayList<>(cuts);
      bounds.add(length);
      List<Frame> frames = new ArrayList<>();
      List<String> events = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < bounds.size(); i++) {
        int end = bounds.get(i);
        boolean last = i == bounds.size() - 1;
        frames.add(new Frame(i == 0 ? opcode : Opcode.CONTINUATION, last,
            Arrays.copyOfRange(payload, start, end)));
        start = end;
        if (!last && controlsInside > 0 && random.nextBoolean()) {
          Control control = Control.random(random.nextBoolean() ? Opcode.PING : Opcode.PONG,
              random.nextInt(126), random.nextLong());
          frames.addAll(control.frames());
          events.addAll(control.events());
          controlsInside--;
        }
      }
      events.add(opcode == Opcode.TEXT ? MessageRecorder.text(payload) : MessageRecorder.binary(payload));
      return new Message(opcode, payload, frames, events);
    }

    @Override
    public String toString() {
      return Opcode.name(opcode) + " of " + payload.length + " bytes in " + frames.size() + " frames";
    }
  }

  static byte[] randomBytes(int length, Random random) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Exactly {@code length} bytes of UTF-8 with code points of every encoded length. */
  static byte[] randomUtf8(int length, Random random) {
    StringBuilder sb = new StringBuilder();
    int size = 0;
    while (size < length) {
      int room = length - size;
      int cp;
      switch (random.nextInt(Math.min(room, 4))) {
        case 0: cp = random.nextInt(0x80); break;
        case 1: cp = 0x80 + random.nextInt(0x800 - 0x80); break;
        case 2: cp = 0x800 + random.nextInt(0xD800 - 0x800); break;
        default: cp = 0x10000 + random.nextInt(0x110000 - 0x10000); break;
      }
      sb.appendCodePoint(cp);
      size += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Provide
  static Arbitrary<Integer> payloadLengths() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0, 300)),
        Tuple.of(2, Arbitraries.of(0, 1, 125, 126, 127, 65535, 65536)),
        Tuple.of(1, Arbitraries.integers().between(300, 70_000)));
  }

  @Provide
  static Arbitrary<List<Item>> conversations() {
    Arbitrary<Item> message = Combinators.combine(
            Arbitraries.of(Opcode.TEXT, Opcode.BINARY),
            payloadLengths(),
            Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs())
        .as((opcode, length, fragments, controls, seed) -> Message.random(opcode, length, fragments, controls, seed));
    Arbitrary<Item> control = Combinators.combine(
            Arbitraries.of(Opcode.PING, Opcode.PONG),
            Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 125)), Tuple.of(1, Arbitraries.of(0, 125))),
            Arbitraries.longs())
        .as((opcode, length, seed) -> Control.random(opcode, length, seed));
    Arbitrary<Item> close = Combinators.combine(
            Arbitraries.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1014, 3000, 4000, 4999),
            Arbitraries.strings().withChars("abc xyz").withCharRange('\u00e0', '\u00ff').withChars("€").ofMaxLength(30))
        .as(Close::new);
    Arbitrary<Optional<Item>> closeAtTheEnd = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Optional.<Item>empty())),
        Tuple.of(1, close.map(Optional::of)),
        Tuple.of(1, Arbitraries.just(Optional.<Item>of(new Close(CloseCodes.NO_STATUS, "")))));
    return Combinators.combine(
            Arbitraries.frequencyOf(Tuple.of(3, message), Tuple.of(1, control)).list().ofMinSize(1).ofMaxSize(8),
            closeAtTheEnd)
        .as((items, end) -> {
          List<Item> all = new ArrayList<>(items);
          end.ifPresent(all::add);
          return all;
        });
  }

  /** Random cut points as fractions of the stream, at most 40. */
  @Provide
  static Arbitrary<List<Double>> cuts() {
    return Arbitraries.doubles().between(0, 1).list().ofMaxSize(40);
  }

  @Property(tries = 150)
  void clientFramesArriveAtTheServerExactlyAsSent(
      @ForAll("conversations") List<Item> conversation,
      @ForAll("cuts") List<Double> cuts,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    assertRoundTrip(FrameEncoder.client(), Role.SERVER, conversation, cuts, chunk);
  }

  @Property(tries = 150)
  void serverFramesArriveAtTheClientExactlyAsSent(
      @ForAll("conversations") List<Item> conversation,
      @ForAll("cuts") List<Double> cuts,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    assertRoundTrip(FrameEncoder.server(), Role.CLIENT, conversation, cuts, chunk);
  }

  @Property(tries = 150)
  void clientFramesArriveExactlyAsSentWhenUnmaskedInPlace(
      @ForAll("conversations") List<Item> conversation,
      @ForAll("cuts") List<Double> cuts,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    assertRoundTrip(FrameEncoder.client(), Role.SERVER, conversation, cuts, chunk, true);
  }

  private static void assertRoundTrip(FrameEncoder encoder, Role receiver, List<Item> conversation, List<Double> cuts, int chunk) {
    assertRoundTrip(encoder, receiver, conversation, cuts, chunk, false);
  }

  /**
   * @param inPlace decode with {@link FrameDecoder#unmaskingInPlace}, each read a private copy as a
   *     NetSocket delivers it; the recorded frames must survive later reads
   */
  private static void assertRoundTrip(FrameEncoder encoder, Role receiver, List<Item> conversation, List<Double> cuts, int chunk, boolean inPlace) {
    Buffer stream = Buffer.buffer();
    List<String> sentFrames = new ArrayList<>();
    List<String> sentEvents = new ArrayList<>();
    for (Item item : conversation) {
      for (Frame frame : item.frames()) {
        stream.appendBuffer(encoder.encode(frame.opcode(), frame.fin(), Buffer.buffer(frame.payload())));
        sentFrames.add(frame.describe());
      }
      sentEvents.addAll(item.events());
    }

    List<String> receivedFrames = new ArrayList<>();
    MessageRecorder messages = new MessageRecorder(WsLimits.DEFAULT);
    MessageAssembler assembler = new MessageAssembler(messages);
    FrameSink sink = frame -> {
      receivedFrames.add(FrameRecorder.describe(frame));
      assembler.onFrame(frame);
    };
    FrameDecoder decoder = inPlace
        ? FrameDecoder.unmaskingInPlace(receiver, WsLimits.DEFAULT, sink)
        : new FrameDecoder(receiver, WsLimits.DEFAULT, sink);
    for (Buffer piece : cut(stream, cuts, chunk)) {
      decoder.decode(inPlace ? piece.copy() : piece);
    }

    assertThat(receivedFrames).isEqualTo(sentFrames);
    assertThat(messages.events).isEqualTo(sentEvents);
  }

  /**
   * Cuts the stream at the given fractions of its length and, within the first 4 KiB, also every
   * {@code chunk} bytes, so that header and mask boundaries are cut finely without making long
   * streams slow.
   */
  static List<Buffer> cut(Buffer stream, List<Double> fractions, int chunk) {
    int length = stream.length();
    TreeSet<Integer> cuts = new TreeSet<>();
    for (double f : fractions) {
      cuts.add((int) (f * length));
    }
    for (int at = chunk; at < Math.min(length, 4096); at += chunk) {
      cuts.add(at);
    }
    cuts.add(length);
    List<Buffer> pieces = new ArrayList<>();
    int start = 0;
    for (int end : cuts) {
      pieces.add(stream.slice(start, end));
      start = end;
    }
    return pieces;
  }
}

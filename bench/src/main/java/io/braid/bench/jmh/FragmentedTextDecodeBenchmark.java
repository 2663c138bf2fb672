package io.braid.bench.jmh;

import io.braid.protocol.codec.Bytes;
import io.braid.protocol.ws.WsProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode + unmask + UTF-8 validation of one fragmented text message: {@value #MESSAGE_SIZE} bytes
 * of UTF-8 sent as {@value #FRAGMENTS} masked frames (a text frame, then continuations, the last one
 * final), split at fixed byte offsets so that code points straddle fragment boundaries.
 *
 * <p>Braid's {@code FrameDecoder} validates UTF-8 incrementally as it unmasks, in both its copying
 * and its in-place mode (see {@link BraidDecoding}). Netty's
 * {@code WebSocket08FrameDecoder} does not look at text, so its side runs the pipeline Netty's
 * server builds when {@code withUTF8Validator(true)}: the decoder followed by
 * {@code Utf8FrameValidator}. The set-up proves that both sides deliver the original fragments and
 * that both reject a corrupted message, so neither skips the check.
 *
 * <p>{@code content=mixed} has about 60% of its bytes in multi-byte code points (2, 3 and 4 bytes);
 * {@code content=ascii} is plain ASCII.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class FragmentedTextDecodeBenchmark {
  static final int MESSAGE_SIZE = 64 * 1024;
  static final int FRAGMENTS = 16;
  private static final int MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;

  @Param({"mixed", "ascii"})
  public String content;

  private Buffer braidInput;
  private ByteBuf nettyInput;
  private byte[] wire;
  private BraidDecoding braid;
  private BraidDecoding braidInPlace;
  private NettyDecoding netty;

  @Setup(Level.Trial)
  public void setUp() {
    WireFrames fixture = new WireFrames(0x7E47L);
    byte[] text = fixture.text(MESSAGE_SIZE, content.equals("mixed")).getBytes(StandardCharsets.UTF_8);
    appendFragmented(fixture, text);
    wire = fixture.bytes();
    braidInput = Bytes.wrap(wire);
    nettyInput = Unpooled.wrappedBuffer(wire);

    Fixtures.requireSamePayloads("Braid", fixture.payloads(), BraidDecoding.copying(MAX_FRAME_PAYLOAD).decodeToArrays(braidInput));
    Fixtures.requireSamePayloads("Braid in place", fixture.payloads(),
        BraidDecoding.inPlace(MAX_FRAME_PAYLOAD).decodeToArrays(BraidDecoding.privateCopy(wire)));
    NettyDecoding check = new NettyDecoding(true, MAX_FRAME_PAYLOAD);
    Fixtures.requireSamePayloads("Netty", fixture.payloads(), check.decodeToArrays(nettyInput));
    check.close();
    requireAllRejectInvalidUtf8(text);

    braid = BraidDecoding.copying(MAX_FRAME_PAYLOAD);
    braidInPlace = BraidDecoding.inPlace(MAX_FRAME_PAYLOAD);
    netty = new NettyDecoding(true, MAX_FRAME_PAYLOAD);
  }

  private static void appendFragmented(WireFrames fixture, byte[] text) {
    int fragmentSize = text.length / FRAGMENTS;
    for (int i = 0; i < FRAGMENTS; i++) {
      int from = i * fragmentSize;
      int to = i == FRAGMENTS - 1 ? text.length : from + fragmentSize;
      fixture.frame(i == 0 ? WireFrames.OPCODE_TEXT : WireFrames.OPCODE_CONTINUATION, i == FRAGMENTS - 1,
          Arrays.copyOfRange(text, from, to));
    }
  }

  /** A lone continuation byte in the last fragment: every pipeline must fail on it. */
  private static void requireAllRejectInvalidUtf8(byte[] text) {
    byte[] bad = text.clone();
    bad[bad.length - 10] = (byte) 0x80;
    WireFrames fixture = new WireFrames(1);
    appendFragmented(fixture, bad);
    byte[] badWire = fixture.bytes();
    requireBraidRejects("Braid", BraidDecoding.copying(MAX_FRAME_PAYLOAD), Bytes.wrap(badWire));
    requireBraidRejects("Braid in place", BraidDecoding.inPlace(MAX_FRAME_PAYLOAD), BraidDecoding.privateCopy(badWire));
    NettyDecoding netty = new NettyDecoding(true, MAX_FRAME_PAYLOAD);
    try {
      netty.decodeToArrays(Unpooled.wrappedBuffer(badWire));
      throw new IllegalStateException("Netty accepted invalid UTF-8");
    } catch (CorruptedWebSocketFrameException expected) {
      // validated
    } finally {
      netty.close();
    }
  }

  private static void requireBraidRejects(String name, BraidDecoding decoding, Buffer input) {
    try {
      decoding.decodeToArrays(input);
    } catch (WsProtocolException expected) {
      return;
    }
    throw new IllegalStateException(name + " accepted invalid UTF-8");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    netty.close();
  }

  @Benchmark
  public int braid(DecodeCounters counters, Blackhole bh) {
    return counters.count(braid.decode(braidInput, bh), MESSAGE_SIZE);
  }

  /** What Braid's server does with each read: a private copy (counted), then unmask in place. */
  @Benchmark
  public int braidInPlace(DecodeCounters counters, Blackhole bh) {
    return counters.count(braidInPlace.decode(BraidDecoding.privateCopy(wire), bh), MESSAGE_SIZE);
  }

  @Benchmark
  public int netty(DecodeCounters counters, Blackhole bh) {
    return counters.count(netty.decode(nettyInput, bh), MESSAGE_SIZE);
  }
}

package io.braid.bench.jmh;

import io.braid.protocol.codec.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
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
 * Decode + unmask throughput of masked binary frames, Braid's {@code FrameDecoder} (server role)
 * against Netty's {@code WebSocket08FrameDecoder}, on the same pre-built bytes.
 *
 * <p>One operation decodes one input buffer of about 256 KiB of payload: {@link #frameCount()}
 * frames of {@link #payloadSize} bytes, each masked with its own key. {@code braid} and {@code netty}
 * copy each payload out of the input, unmask it and hand it on (Braid to its sink, Netty down its
 * pipeline to the channel's inbound queue); {@code braidInPlace} copies the whole input once, as
 * Vert.x's {@code NetSocket} does for every read, then unmasks each payload where it lies and hands
 * on a slice (see {@link BraidDecoding}). The benchmark consumes every payload in a
 * {@link Blackhole}; the set-up checks that all three deliver exactly the original payloads.
 *
 * <p>Netty's leak detector is disabled in the fork, as in Netty's own microbenchmarks: it samples
 * pooled buffers and would charge Netty for a debugging aid.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class FrameDecodeBenchmark {
  private static final int PAYLOAD_PER_INPUT = 256 * 1024;
  private static final int MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;

  @Param({"125", "1024", "65536"})
  public int payloadSize;

  private Buffer braidInput;
  private ByteBuf nettyInput;
  private long payloadBytesPerInput;
  private byte[] wire;
  private BraidDecoding braid;
  private BraidDecoding braidInPlace;
  private NettyDecoding netty;

  @Setup(Level.Trial)
  public void setUp() {
    WireFrames fixture = new WireFrames(0xB4A1DL + payloadSize);
    for (int i = 0; i < frameCount(); i++) {
      fixture.frame(WireFrames.OPCODE_BINARY, true, fixture.randomBytes(payloadSize));
    }
    wire = fixture.bytes();
    braidInput = Bytes.wrap(wire);
    nettyInput = Unpooled.wrappedBuffer(wire);
    payloadBytesPerInput = Fixtures.totalLength(fixture.payloads());

    Fixtures.requireSamePayloads("Braid", fixture.payloads(), BraidDecoding.copying(MAX_FRAME_PAYLOAD).decodeToArrays(braidInput));
    Fixtures.requireSamePayloads("Braid in place", fixture.payloads(),
        BraidDecoding.inPlace(MAX_FRAME_PAYLOAD).decodeToArrays(BraidDecoding.privateCopy(wire)));
    NettyDecoding check = new NettyDecoding(false, MAX_FRAME_PAYLOAD);
    Fixtures.requireSamePayloads("Netty", fixture.payloads(), check.decodeToArrays(nettyInput));
    check.close();

    braid = BraidDecoding.copying(MAX_FRAME_PAYLOAD);
    braidInPlace = BraidDecoding.inPlace(MAX_FRAME_PAYLOAD);
    netty = new NettyDecoding(false, MAX_FRAME_PAYLOAD);
  }

  private int frameCount() {
    return Math.max(4, PAYLOAD_PER_INPUT / payloadSize);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    netty.close();
  }

  @Benchmark
  public int braid(DecodeCounters counters, Blackhole bh) {
    return counters.count(braid.decode(braidInput, bh), payloadBytesPerInput);
  }

  /** What Braid's server does with each read: a private copy (counted), then unmask in place. */
  @Benchmark
  public int braidInPlace(DecodeCounters counters, Blackhole bh) {
    return counters.count(braidInPlace.decode(BraidDecoding.privateCopy(wire), bh), payloadBytesPerInput);
  }

  @Benchmark
  public int netty(DecodeCounters counters, Blackhole bh) {
    return counters.count(netty.decode(nettyInput, bh), payloadBytesPerInput);
  }
}

package io.braid.bench.jmh;

import io.braid.protocol.ws.Masking;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic, not a comparison: where the time of getting one masked payload out of the input goes.
 * Each operation produces one unmasked payload of {@link #payloadSize} bytes from the same masked
 * bytes, the way Braid's decoder does it today (a fresh zeroed array, a copy, then an in-place
 * unmask pass), the way Netty's does (a pooled buffer from the default allocator, a copy, an
 * in-place unmask pass, a release), and two alternatives for Braid: one fused copy-and-unmask pass
 * into a fresh array, and the same into a reused array.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class UnmaskCostBenchmark {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  @Param({"1024", "65536"})
  public int payloadSize;

  private byte[] masked;
  private byte[] reused;
  private int maskKey;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    masked = new byte[payloadSize];
    random.nextBytes(masked);
    reused = new byte[payloadSize];
    maskKey = random.nextInt();
  }

  /** Braid today: {@code new byte[n]}, {@code getBytes} into it, {@code Masking.mask} in place. */
  @Benchmark
  public byte[] freshArrayCopyThenUnmask() {
    byte[] p = new byte[payloadSize];
    System.arraycopy(masked, 0, p, 0, payloadSize);
    Masking.mask(p, 0, payloadSize, maskKey, 0);
    return p;
  }

  /** The allocation alone: zeroing a fresh array, and the garbage it becomes. */
  @Benchmark
  public byte[] freshArrayOnly() {
    return new byte[payloadSize];
  }

  /** Netty: a buffer from the default (pooled) allocator, a copy, an in-place unmask, a release. */
  @Benchmark
  public long pooledBufferCopyThenUnmask() {
    ByteBuf b = alloc.buffer(payloadSize);
    b.writeBytes(masked);
    long key64 = ((long) maskKey << 32) | (maskKey & 0xFFFFFFFFL);
    int i = 0;
    for (; i + 7 < payloadSize; i += 8) {
      b.setLong(i, b.getLong(i) ^ key64);
    }
    long last = b.getByte(payloadSize - 1);
    b.release();
    return last;
  }

  /** One pass: read masked words from the input, write unmasked words to a fresh array. */
  @Benchmark
  public byte[] freshArrayFusedCopyUnmask() {
    byte[] p = new byte[payloadSize];
    fusedUnmask(masked, p);
    return p;
  }

  /** One pass into an array that is reused: no allocation at all. */
  @Benchmark
  public byte[] reusedArrayFusedCopyUnmask() {
    fusedUnmask(masked, reused);
    return reused;
  }

  private void fusedUnmask(byte[] from, byte[] to) {
    long key64 = ((long) maskKey << 32) | (maskKey & 0xFFFFFFFFL);
    int i = 0;
    for (; i + 7 < payloadSize; i += 8) {
      LONGS.set(to, i, (long) LONGS.get(from, i) ^ key64);
    }
    for (int k = 24; i < payloadSize; i++, k = (k - 8) & 31) {
      to[i] = (byte) (from[i] ^ (maskKey >>> k));
    }
  }
}

package io.braid.bench.load;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The disk's own limit for durable messages: appends of {@code --bytes} to a file, each followed by
 * {@code FileChannel.force(false)} (fdatasync), one at a time, in the directory the broker's store would use. A
 * group commit can make every fsync carry many messages; this is the number of fsyncs a second it has to share.
 */
@Command(name = "fsync", mixinStandardHelpOptions = true, sortOptions = false,
    description = "fsyncs a second of this file system: the physical limit of durable commits.")
final class FsyncCommand implements Callable<Integer> {
  @Option(names = "--dir", defaultValue = ".", description = "Directory to write in (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(names = "--bytes", defaultValue = "4096", description = "Bytes appended before each fsync (default: ${DEFAULT-VALUE}).")
  int bytes;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path file = Files.createTempFile(directory, "braid-fsync-", ".bin");
    Histogram latency = new Histogram(3);
    ByteBuffer block = ByteBuffer.allocate(bytes);
    long fsyncs = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long warmEnd = System.nanoTime() + 1_000_000_000L;
      long end = warmEnd + seconds * 1_000_000_000L;
      long measuredFrom = 0;
      while (true) {
        long start = System.nanoTime();
        if (start >= end) {
          break;
        }
        block.clear();
        channel.write(block);
        channel.force(false);
        long took = System.nanoTime() - start;
        if (start >= warmEnd) {
          if (measuredFrom == 0) {
            measuredFrom = start;
          }
          latency.recordValue(took / 1_000);
          fsyncs++;
        }
      }
      double perSecond = fsyncs / ((end - measuredFrom) / 1e9);
      out.printf("%s: %,d appends of %d B each followed by fdatasync in %d s: %,.0f fsyncs/s; latency p50 %d us, "
          + "p99 %d us, max %d us%n", directory.toAbsolutePath(), fsyncs, bytes, seconds, perSecond,
          latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue());
    } finally {
      Files.deleteIfExists(file);
    }
    return 0;
  }
}

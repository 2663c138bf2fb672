package io.braid.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.management.ObjectName;

/**
 * The child JVM of the memory probe: starts one echo server, Braid's or Vert.x's, on 127.0.0.1 and
 * answers commands on stdin, one per line, with lines on stdout:
 *
 * <pre>
 *   (at start)      -> PORT &lt;port&gt;
 *   measure         -> HEAP &lt;bytes of heap used after full GCs&gt;, then RSS &lt;resident bytes&gt;
 *   histogram &lt;n&gt;   -> the top n lines of the live-object class histogram, then END
 *   quit or EOF     -> exits
 * </pre>
 *
 * <p>Logging goes to stderr, so stdout carries nothing but these answers.
 */
public final class MemoryProbeServer {
  private MemoryProbeServer() {}

  public static void main(String[] args) throws Exception {
    String server = args.length > 0 ? args[0] : "braid";
    int eventLoops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Compression compression = args.length > 2 ? Compression.valueOf(args[2]) : Compression.off;
    EchoTarget target = EchoTarget.await(switch (server) {
      case "braid" -> EchoTarget.braid(eventLoops, compression);
      case "vertx" -> EchoTarget.vertx(eventLoops, compression);
      default -> throw new IllegalArgumentException("server must be braid or vertx, was " + server);
    });
    System.out.println("PORT " + target.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      if (line.equals("measure")) {
        System.out.println("HEAP " + usedHeapAfterGc());
        System.out.println("RSS " + residentBytes());
      } else if (line.startsWith("histogram")) {
        String[] parts = line.split(" ");
        printHistogram(parts.length > 1 ? Integer.parseInt(parts[1]) : 30);
        System.out.println("END");
      } else {
        System.out.println("ERROR unknown command " + line);
      }
      System.out.flush();
    }
    System.exit(0);
  }

  /** Heap in use once repeated full collections have freed all they can: the live set. */
  static long usedHeapAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /**
   * The process's resident memory ({@code VmRSS}). With the heap committed and touched up front ({@code -Xms} equal to
   * {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), what it gains is memory off the heap: zlib's, Netty's direct buffers.
   */
  static long residentBytes() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** The live-object class histogram (as {@code jcmd <pid> GC.class_histogram} prints it), top rows only. */
  private static void printHistogram(int rows) throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    String[] lines = histogram.split("\n");
    for (int i = 0; i < Math.min(lines.length, rows + 2); i++) {
      System.out.println(lines[i]);
    }
    System.out.println(lines[lines.length - 1]);
  }
}

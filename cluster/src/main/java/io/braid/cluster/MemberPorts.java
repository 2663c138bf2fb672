package io.braid.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the members of a cluster started together on one machine (tests, benchmarks), which must know each
 * other's ports before they start. Picked below the kernel's ephemeral range: every bind to port 0 (a member's event
 * bus and links) takes its port from that range, and could take a port picked there between the pick and the
 * member's start. Any thread.
 */
public final class MemberPorts {

  /** Ports handed out: a member that has not bound its port yet leaves it bindable. */
  private static final Set<Integer> handedOut = new HashSet<>();

  private MemberPorts() {
  }

  /** A port of 127.0.0.1 free now, never handed out before by this JVM. */
  public static synchronized int next() throws IOException {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(below - 10_000, below);
      if (handedOut.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + (below - 10_000) + ".." + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralRangeStart() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    // readAllLines, not readString: /proc files have size 0, and readString returned one byte of them
    return Files.exists(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0])
        : 32_768;
  }
}

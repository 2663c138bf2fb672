package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberPortsTest {

  @Test
  void aPortIsBelowTheEphemeralRangeFreeAndNeverHandedOutTwice() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int ephemeralStart = Files.exists(range)
        ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32_768;
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = MemberPorts.next();
      assertThat(port).isLessThan(ephemeralStart).isGreaterThanOrEqualTo(ephemeralStart - 10_000);
      assertThat(ports.add(port)).as("port %d handed out once", port).isTrue();
    }
    int port = MemberPorts.next();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}

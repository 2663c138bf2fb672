package io.braid.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The open-file limit of this process, which caps how many sockets a run can open. */
final class FileLimits {
  private FileLimits() {}

  /** The soft limit on open files, or -1 where the platform does not say. */
  static long maxOpenFiles() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /**
   * Checks that {@code needed} descriptors fit under the limit.
   *
   * @return null when they do, else the message telling the user how to raise the limit
   */
  static String check(long needed, String what) {
    long limit = maxOpenFiles();
    if (limit < 0 || limit >= needed) {
      return null;
    }
    return "the open-file limit is " + limit + " but " + what + " needs about " + needed
        + " file descriptors: raise it first, e.g. `ulimit -n 65536` (at most the hard limit `ulimit -Hn`), then run again";
  }
}

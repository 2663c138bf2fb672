package io.braid.it;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What child JVMs printed and the test's output did not show: they log at the server's own levels (INFO), and only
 * their warnings and errors are shown as they come. The last {@value #KEPT} other lines of each child started since
 * the test class began are kept and, when a test fails, printed under the child's pid: a failure in CI then tells
 * what the nodes did (the sessions they moved, the links they closed) without a second run. Registered for every
 * test class of this module ({@code META-INF/services}).
 */
public final class ChildOutput implements BeforeAllCallback, TestWatcher {

  static final int KEPT = 2_000;
  private static final List<Lines> CHILDREN = new CopyOnWriteArrayList<>();

  /** The lines of one child, the last {@value #KEPT}. Thread safe: its output reader adds, a failing test reads. */
  static final class Lines {
    private final long pid;
    private final ArrayDeque<String> last = new ArrayDeque<>();
    private long dropped;

    private Lines(long pid) {
      this.pid = pid;
    }

    synchronized void add(String line) {
      if (last.size() == KEPT) {
        last.poll();
        dropped++;
      }
      last.add(line);
    }

    synchronized String text() {
      StringBuilder text = new StringBuilder();
      if (dropped > 0) {
        text.append("[child ").append(pid).append("] (").append(dropped).append(" earlier lines not kept)\n");
      }
      last.forEach(line -> text.append("[child ").append(pid).append("] ").append(line).append('\n'));
      return text.toString();
    }
  }

  /** Keeps the unshown lines of the child {@code pid}, just started. */
  static Lines of(long pid) {
    Lines lines = new Lines(pid);
    CHILDREN.add(lines);
    return lines;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CHILDREN.clear();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (CHILDREN.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder("---- " + context.getDisplayName() + " failed; what the "
        + CHILDREN.size() + " child JVM(s) of its class logged besides warnings (the last " + KEPT
        + " lines of each) ----\n");
    CHILDREN.forEach(child -> report.append(child.text()));
    System.out.print(report.append("---- end of the child JVMs' lines ----\n"));
  }
}

package io.braid.bench.load;

import java.io.PrintStream;

/**
 * The live progress line: rewritten in place with a carriage return on a terminal, one plain line
 * per update otherwise (so a log file stays readable).
 *
 * <p>Used by one thread at a time.
 */
final class Progress {
  enum Mode { AUTO, CR, LINES, OFF }

  private final PrintStream out;
  private final Mode mode;
  private int lastLength;

  Progress(PrintStream out, Mode mode) {
    this.out = out;
    this.mode = mode == Mode.AUTO ? (System.console() != null ? Mode.CR : Mode.LINES) : mode;
  }

  void update(String line) {
    switch (mode) {
      case CR -> {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
          sb.append(' ');
        }
        lastLength = line.length();
        out.print(sb);
        out.flush();
      }
      case LINES -> out.println(line);
      default -> { }
    }
  }

  /** Ends the current line, if one is being rewritten. */
  void finish() {
    if (mode == Mode.CR && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }
}

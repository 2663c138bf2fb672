package io.braid.server.cli;

import io.braid.server.BraidServer;
import io.braid.server.BraidServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar braid-server.jar [--port 8080] [--echo]}: runs the server until SIGTERM. */
@Command(name = "braid-server", mixinStandardHelpOptions = true, version = "Braid 0.1.0",
    description = "Runs the Braid WebSocket server with embedded defaults.")
public final class BraidServerMain implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = "0.0.0.0";

  @Option(names = {"-p", "--port"}, description = "WebSocket port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = BraidServerOptions.DEFAULT_PORT;

  @Option(names = "--echo", description = "Serve the diagnostic /echo endpoint.")
  boolean echo;

  @Option(names = "--instances", description = "Event loops serving connections (default: one per core).")
  Integer instances;

  @Option(names = "--max-frame-size", description = "Largest frame payload in bytes (default: ${DEFAULT-VALUE}).")
  int maxFrameSize = new BraidServerOptions().maxFramePayload();

  @Option(names = "--max-message-size", description = "Largest message in bytes (default: ${DEFAULT-VALUE}).")
  int maxMessageSize = new BraidServerOptions().maxMessageSize();

  @Option(names = "--idle-timeout", description = "Milliseconds of silence before a keep-alive ping; 0 disables (default: ${DEFAULT-VALUE}).")
  long idleTimeout = new BraidServerOptions().idleTimeoutMillis();

  @Option(names = "--allowed-origin", description = "Browser origin allowed to connect; repeatable (default: any).")
  List<String> allowedOrigins = List.of();

  @Override
  public Integer call() throws Exception {
    BraidServerOptions options = new BraidServerOptions()
        .host(host)
        .port(port)
        .echoEnabled(echo)
        .maxFramePayload(maxFrameSize)
        .maxMessageSize(Math.max(maxMessageSize, maxFrameSize))
        .idleTimeoutMillis(idleTimeout)
        .allowedOrigins(allowedOrigins);
    if (instances != null) {
      options.instances(instances);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(options.instances(), 1)));
    BraidServer server;
    try {
      server = BraidServer.start(vertx, options).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("braid-server: cannot start: " + e.getMessage());
      vertx.close();
      return 1;
    }
    System.out.println("braid-server listening on port " + server.actualPort()
        + (echo ? " (echo at ws://localhost:" + server.actualPort() + "/echo)" : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close().await(options.shutdownTimeoutMillis() + 5_000, TimeUnit.MILLISECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("braid-server: unclean shutdown: " + e.getMessage());
      }
      stopped.countDown();
    }, "braid-shutdown"));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new BraidServerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}

package io.braid.it.autobahn;

import io.braid.server.websocket.BraidServer;
import io.braid.server.websocket.BraidServerOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The server the Autobahn|Testsuite fuzzing client (cases 1-10) runs against, started by
 * {@code autobahntestsuite-maven-plugin} during {@code mvn verify} with the port as its only
 * argument. The suite connects to {@code /}, so the echo endpoint is served there.
 */
public final class AutobahnEchoServer {
  private AutobahnEchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    BraidServerOptions options = new BraidServerOptions()
        .host("0.0.0.0")
        .port(port)
        .instances(2)
        .echoEnabled(true)
        .echoPath("/")
        .closeTimeoutMillis(2_000);
    BraidServer.start(vertx, options).await(30, TimeUnit.SECONDS);
  }
}

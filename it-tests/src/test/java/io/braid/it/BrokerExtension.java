package io.braid.it;

import io.braid.server.BrokerRuntime;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker for each test of a class ({@link TestBrokers}'s defaults plus the given settings), started before the test
 * and stopped after it: {@code @RegisterExtension final BrokerExtension broker = new BrokerExtension();}.
 */
final class BrokerExtension implements BeforeEachCallback, AfterEachCallback {

  private final String[] settings;
  private BrokerRuntime broker;

  /** @param settings configuration keys and values, as on the command line */
  BrokerExtension(String... settings) {
    this.settings = settings;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    broker = TestBrokers.start(settings);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    TestBrokers.stop(broker);
  }

  /** The port of the broker's WebSocket listener. */
  int port() {
    return broker.port();
  }

  BrokerRuntime runtime() {
    return broker;
  }
}

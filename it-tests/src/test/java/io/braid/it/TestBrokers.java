package io.braid.it;

import io.braid.server.BrokerRuntime;
import io.braid.server.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brokers for tests: on loopback, free ports, the in-memory store unless a test says otherwise, no {@code $SYS}
 * publishing, a short shutdown wait. Settings are configuration keys, as on the command line.
 */
final class TestBrokers {

  // HTTP/1.1, as ChildBroker: the JDK's default asks for an h2c upgrade, which the admin port does not answer as the
  // JDK expects (a GET of /metrics hung once past its own 5 s timeout, until the test's 30 s one)
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestBrokers() {
  }

  /** The test defaults with {@code settings} on top. */
  static Map<String, String> settings(String... keyValues) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("server.host", TestServers.HOST);
    settings.put("server.port", "0");
    settings.put("admin.port", "0");
    settings.put("mqtt.port", "0");
    settings.put("store.type", "memory");
    settings.put("sys.intervalSeconds", "0");
    settings.put("server.shutdownTimeoutMillis", "2000");
    settings.put("server.instances", "2");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return settings;
  }

  static BrokerRuntime start(String... keyValues) {
    return start(settings(keyValues));
  }

  static BrokerRuntime start(Map<String, String> settings) {
    return BrokerRuntime.start(ConfigLoader.load(null, Map.of(), settings));
  }

  static void stop(BrokerRuntime broker) throws Exception {
    if (broker != null) {
      broker.stop().await(20, TimeUnit.SECONDS);
    }
  }

  /** {@code GET http://127.0.0.1:adminPort/path}: status and body. */
  static HttpResponse<String> get(BrokerRuntime broker, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.adminPort() + path))
        .timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of one Prometheus sample from {@code /metrics}, e.g. {@code braid_limit_hits_total{limit="connections"}};
   * 0 when the sample is not there (a counter not yet incremented).
   */
  static double metric(BrokerRuntime broker, String sample) {
    String body = get(broker, "/metrics").body();
    Matcher matcher = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}

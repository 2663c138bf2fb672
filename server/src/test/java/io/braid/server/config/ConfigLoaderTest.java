package io.braid.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration's four layers, and the errors that name the bad key. */
class ConfigLoaderTest {

  @TempDir
  Path directory;

  private Path file(String name, String content) throws Exception {
    Path file = directory.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void noConfigurationAtAllIsTheEmbeddedDefaults() {
    BrokerConfig config = ConfigLoader.load(null, Map.of(), Map.of());

    assertThat(config).isEqualTo(BrokerConfig.defaults());
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.store().type()).isEqualTo("mvstore");
    assertThat(config.store().dataDir()).isEqualTo("data");
    assertThat(config.auth().anonymous()).isTrue();
  }

  @Test
  void aYamlFileOverridesOnlyTheKeysItNames() throws Exception {
    Path yaml = file("braid.yaml", "server:\n  port: 9000\nlimits:\n  maxConnections: 10\n");

    BrokerConfig config = ConfigLoader.load(yaml, Map.of(), Map.of());

    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.limits().maxConnections()).isEqualTo(10);
    assertThat(config.server().path()).isEqualTo("/braid");
    assertThat(config.limits().maxStreamsPerConnection()).isEqualTo(BrokerConfig.defaults().limits()
        .maxStreamsPerConnection());
  }

  @Test
  void aJsonFileWorksTheSame() throws Exception {
    Path json = file("braid.json", "{\"sessions\": {\"queueOverflow\": \"drop-oldest\"}}");

    assertThat(ConfigLoader.load(json, Map.of(), Map.of()).sessions().queueOverflow()).isEqualTo("drop-oldest");
  }

  @Test
  void theEnvironmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws Exception {
    Path yaml = file("braid.yml", "server:\n  port: 9000\nadmin:\n  port: 9100\nlimits:\n  maxConnections: 10\n");
    Map<String, String> env = Map.of("BRAID_SERVER_PORT", "9001", "BRAID_LIMITS_MAX_CONNECTIONS", "20",
        "PATH", "/usr/bin");

    BrokerConfig config = ConfigLoader.load(yaml, env, Map.of("limits.maxConnections", "30"));

    assertThat(config.admin().port()).isEqualTo(9100);
    assertThat(config.server().port()).isEqualTo(9001);
    assertThat(config.limits().maxConnections()).isEqualTo(30);
  }

  @Test
  void listsAndBooleansComeFromTextInTheEnvironment() {
    BrokerConfig config = ConfigLoader.load(null, Map.of("BRAID_SERVER_ALLOWED_ORIGINS",
        "https://a.example, https://b.example", "BRAID_AUTH_ANONYMOUS", "FALSE"), Map.of());

    assertThat(config.server().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(config.auth().anonymous()).isFalse();
  }

  @Test
  void everyKeyHasItsEnvironmentVariable() {
    assertThat(ConfigLoader.variableOf("limits.maxConnections")).isEqualTo("BRAID_LIMITS_MAX_CONNECTIONS");
    assertThat(ConfigLoader.variableOf("server.tls.certFile")).isEqualTo("BRAID_SERVER_TLS_CERT_FILE");
    assertThat(ConfigLoader.variableOf("auth.jwt.rs256PublicKeyFile")).isEqualTo("BRAID_AUTH_JWT_RS256_PUBLIC_KEY_FILE");
  }

  @Test
  void anUnknownKeyInTheFileIsNamedWithASuggestion() throws Exception {
    Path yaml = file("braid.yaml", "limits:\n  maxConections: 10\n");

    assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.maxConections: unknown configuration key")
        .hasMessageContaining("did you mean limits.maxConnections?");
  }

  @Test
  void anUnknownBraidVariableIsIgnoredWithAWarningNamingTheClosestVariable() {
    List<String> warnings = new ArrayList<>();
    BrokerConfig config = ConfigLoader.load(null, Map.of("BRAID_LIMITS_MAX_CONECTIONS", "1", "BRAID_HOME", "/opt"),
        Map.of(), warnings::add);

    assertThat(config.limits().maxConnections()).isEqualTo(BrokerConfig.defaults().limits().maxConnections());
    assertThat(warnings).containsExactlyInAnyOrder(
        "environment variable BRAID_HOME is not a configuration variable: ignored",
        "environment variable BRAID_LIMITS_MAX_CONECTIONS is not a configuration variable: ignored"
            + " (did you mean BRAID_LIMITS_MAX_CONNECTIONS?)");
  }

  @Test
  void anUnknownFlagKeyIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.prot", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.prot")
        .hasMessageContaining("did you mean server.port?");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() throws Exception {
    Path yaml = file("braid.yaml", "server:\n  port: eighty\n");

    assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.port: ");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BRAID_SERVER_PORT", "eighty"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.port: must be a whole number");
  }

  @Test
  void windowsBelowTheProtocolsDefaultsAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("limits.streamWindow", "16")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("limits.streamWindow: must be at least");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("limits.streamWindow", "4096")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("limits.connectionWindow: must be at least");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("limits.streamWindow", "32", "limits.connectionWindow", "256"))
        .limits().streamWindow()).isEqualTo(32);
  }

  @Test
  void clusterMembersComeAsAListOfHostAndPort() {
    BrokerConfig config = ConfigLoader.load(null, Map.of("BRAID_CLUSTER_MEMBERS", "10.0.0.1:5701,node-b:5702"),
        Map.of("cluster.enabled", "true"));

    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1:5701", "node-b:5702");
    assertThat(BrokerConfig.defaults().cluster().enabled()).isFalse();
  }

  @Test
  void aClusterMemberWithoutAPortIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.members", "10.0.0.1")))
        .isInstanceOf(ConfigException.class).hasMessage("cluster.members: '10.0.0.1' is not host:port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.members", "a:70000")))
        .isInstanceOf(ConfigException.class).hasMessage("cluster.members: 'a:70000' is not host:port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.port", "0")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.port: must be 1..65535");
  }

  @Test
  void aClientWaitsFiveSecondsForItsMovingSessionUnlessConfiguredOtherwise() {
    assertThat(BrokerConfig.defaults().cluster().sessionMoveWaitMillis()).isEqualTo(5_000);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("cluster.sessionMoveWaitMillis", "0")).cluster()
        .sessionMoveWaitMillis()).isZero();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("cluster.sessionMoveWaitMillis", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.sessionMoveWaitMillis: must be 0..60000");
  }

  @Test
  void permessageDeflateLevelOutsideOneToNineIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.permessageDeflateLevel", "0")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.permessageDeflateLevel: must be 1");
  }

  @Test
  void anInvalidValueIsNamedWithTheRule() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.port", "70000")))
        .isInstanceOf(ConfigException.class).hasMessage("server.port: must be 0..65535, was 70000");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("sessions.queueOverflow", "drop-all")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("sessions.queueOverflow: must be one of");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("auth.usersFile", "/nonexistent/users")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.usersFile: cannot read the file");
  }

  @Test
  void thePrintedConfigurationNeverShowsASecret() {
    BrokerConfig config = ConfigLoader.load(null, Map.of(), Map.of("admin.apiToken", "t0ken-value",
        "auth.jwt.hs256Secret", "a-secret-of-at-least-thirty-two-characters"));

    assertThat(ConfigLoader.toYaml(config)).doesNotContain("t0ken-value")
        .doesNotContain("a-secret-of-at-least-thirty-two-characters").contains("apiToken: REDACTED");
  }

  @Test
  void thePrintedConfigurationLoadsBackToTheSameConfiguration() throws Exception {
    BrokerConfig custom = ConfigLoader.load(null, Map.of(), Map.of("server.port", "9000",
        "server.allowedOrigins", "https://a.example", "sessions.maxInflight", "7"));

    Path printed = file("printed.yaml", ConfigLoader.toYaml(custom));

    assertThat(ConfigLoader.load(printed, Map.of(), Map.of())).isEqualTo(custom);
  }
}

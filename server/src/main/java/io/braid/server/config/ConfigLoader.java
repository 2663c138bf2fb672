package io.braid.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the effective configuration from four layers, each overriding the one before: the embedded
 * {@linkplain BrokerConfig#defaults() defaults}, a JSON or YAML file, environment variables, and command-line
 * settings. Every key is named {@code section.key}; its environment variable is {@code BRAID_} and the key in upper
 * snake case ({@code limits.maxConnections} is {@code BRAID_LIMITS_MAX_CONNECTIONS}). A list is written as
 * comma-separated values in the environment and on the command line.
 *
 * <p>Anything unknown or ill-typed fails with a {@link ConfigException} naming the key and where it came from, so
 * that a typo never passes silently.
 */
public final class ConfigLoader {

  /** The prefix of the environment variables read. */
  public static final String ENV_PREFIX = "BRAID_";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ConfigLoader() {
  }

  /**
   * The effective configuration.
   *
   * @param file a {@code .json}, {@code .yaml} or {@code .yml} file, or null for none
   * @param environment the process environment (only {@code BRAID_*} variables are read)
   * @param settings command-line settings, key to value
   */
  public static BrokerConfig load(Path file, Map<String, String> environment, Map<String, String> settings) {
    return load(file, environment, settings, warning -> LOG.warn("{}", warning));
  }

  /**
   * {@link #load(Path, Map, Map)}, telling {@code warnings} of what it ignores: an environment variable that starts
   * with {@code BRAID_} but names no key (a container's {@code BRAID_HOME}, a script's own variable) is not the
   * server's to refuse; a typo in a file or a flag still is.
   */
  public static BrokerConfig load(Path file, Map<String, String> environment, Map<String, String> settings,
      Consumer<String> warnings) {
    ObjectNode tree = JSON.valueToTree(BrokerConfig.defaults());
    Map<String, JsonNode> leaves = leaves(tree);
    if (file != null) {
      merge(tree, readFile(file), "", "file " + file, leaves);
    }
    for (Map.Entry<String, String> variable : new java.util.TreeMap<>(environment).entrySet()) {
      if (variable.getKey().startsWith(ENV_PREFIX)) {
        String key = keyOfVariable(variable.getKey(), leaves);
        if (key == null) {
          warnings.accept("environment variable " + variable.getKey() + " is not a configuration variable: ignored"
              + variableSuggestion(variable.getKey(), leaves));
          continue;
        }
        set(tree, key, leaves.get(key), variable.getValue(), "environment variable " + variable.getKey());
      }
    }
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      JsonNode leaf = leaves.get(setting.getKey());
      if (leaf == null) {
        throw new ConfigException(setting.getKey(), "unknown configuration key (command line)" + suggestion(
            setting.getKey(), leaves));
      }
      set(tree, setting.getKey(), leaf, setting.getValue(), "the command line");
    }
    BrokerConfig config = bind(tree);
    ConfigValidator.validate(config);
    return config;
  }

  /** Keys whose values are secrets: printed as {@value #REDACTED} when set. */
  static final List<String> SECRETS = List.of("admin.apiToken", "auth.jwt.hs256Secret");
  static final String REDACTED = "REDACTED";

  /** The configuration as YAML, every key included, secrets masked, for {@code --print-config}. */
  public static String toYaml(BrokerConfig config) {
    try {
      ObjectNode tree = JSON.valueToTree(config);
      for (String secret : SECRETS) {
        ObjectNode parent = parentOf(tree, secret);
        String name = nameOf(secret);
        if (!parent.get(name).asText().isEmpty()) {
          parent.put(name, REDACTED);
        }
      }
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print the configuration", e);
    }
  }

  /** The environment variable of {@code key}: {@code limits.maxConnections} -> {@code BRAID_LIMITS_MAX_CONNECTIONS}. */
  public static String variableOf(String key) {
    return ENV_PREFIX + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** Every leaf key of the defaults, {@code section.key} to its default node (whose type is the key's). */
  static Map<String, JsonNode> leaves(JsonNode tree) {
    Map<String, JsonNode> leaves = new LinkedHashMap<>();
    collectLeaves(tree, "", leaves);
    return leaves;
  }

  private static void collectLeaves(JsonNode node, String path, Map<String, JsonNode> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        collectLeaves(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out);
      }
    } else {
      out.put(path, node);
    }
  }

  private static JsonNode readFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (name.endsWith(".json")) {
      mapper = JSON;
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      mapper = YAML;
    } else {
      throw new ConfigException("--config", "the file must end in .json, .yaml or .yml: " + file);
    }
    try {
      JsonNode node = mapper.readTree(Files.readAllBytes(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return JsonNodeFactory.instance.objectNode(); // an empty file: nothing overridden
      }
      if (!node.isObject()) {
        throw new ConfigException("--config", "the file " + file + " must hold an object of sections");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ConfigException("--config", "cannot parse " + file + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e);
    }
  }

  /** Merges {@code source} into {@code target}; every key in it must exist in the defaults. */
  private static void merge(ObjectNode target, JsonNode source, String path, String origin,
      Map<String, JsonNode> leaves) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = source.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (existing == null) {
        throw new ConfigException(key, "unknown configuration key (" + origin + ")"
            + suggestion(key, leaves));
      }
      if (existing.isObject()) {
        if (!field.getValue().isObject()) {
          throw new ConfigException(key, "must be a section of keys (" + origin + ")");
        }
        merge((ObjectNode) existing, field.getValue(), key, origin, leaves);
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  /** Sets one leaf from a string, typed like its default. */
  private static void set(ObjectNode tree, String key, JsonNode template, String value, String origin) {
    JsonNode typed;
    String trimmed = value.trim();
    if (template.isBoolean()) {
      if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
        throw new ConfigException(key, "must be true or false, was '" + value + "' (" + origin + ")");
      }
      typed = JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(trimmed.toLowerCase(Locale.ROOT)));
    } else if (template.isIntegralNumber()) {
      try {
        typed = JsonNodeFactory.instance.numberNode(Long.parseLong(trimmed));
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "must be a whole number, was '" + value + "' (" + origin + ")");
      }
    } else if (template.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (String item : trimmed.split(",")) {
        if (!item.isBlank()) {
          array.add(item.trim());
        }
      }
      typed = array;
    } else {
      typed = JsonNodeFactory.instance.textNode(value);
    }
    parentOf(tree, key).set(nameOf(key), typed);
  }

  /** The section holding {@code key} ({@code auth.jwt.issuer} -> the {@code auth.jwt} node); the key must exist. */
  private static ObjectNode parentOf(ObjectNode tree, String key) {
    ObjectNode parent = tree;
    for (String section : key.substring(0, Math.max(0, key.lastIndexOf('.'))).split("\\.")) {
      if (!section.isEmpty()) {
        parent = (ObjectNode) parent.get(section);
      }
    }
    return parent;
  }

  /** The last part of {@code key}: its name within its section. */
  private static String nameOf(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** The key whose variable is {@code variable}, or null. */
  private static String keyOfVariable(String variable, Map<String, JsonNode> leaves) {
    for (String key : leaves.keySet()) {
      if (variableOf(key).equals(variable)) {
        return key;
      }
    }
    return null;
  }

  /** The variable closest to {@code variable}, as " (did you mean ...?)", or nothing if none is close. */
  private static String variableSuggestion(String variable, Map<String, JsonNode> leaves) {
    Map<String, JsonNode> byVariable = new LinkedHashMap<>();
    leaves.forEach((key, node) -> byVariable.put(variableOf(key), node));
    return suggestion(variable, byVariable);
  }

  private static BrokerConfig bind(ObjectNode tree) {
    try {
      return JSON.treeToValue(tree, BrokerConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(pathOf(e), "unknown configuration key");
    } catch (InvalidFormatException e) {
      throw new ConfigException(pathOf(e), "has the wrong type: " + e.getValue() + " is not a "
          + e.getTargetType().getSimpleName());
    } catch (MismatchedInputException e) {
      throw new ConfigException(pathOf(e), "has the wrong type (expected " + e.getTargetType().getSimpleName()
          + ")");
    } catch (JsonProcessingException e) {
      throw new ConfigException("configuration", e.getOriginalMessage());
    }
  }

  private static String pathOf(MismatchedInputException e) {
    List<String> parts = new ArrayList<>();
    e.getPath().forEach(reference -> parts.add(reference.getFieldName() != null ? reference.getFieldName()
        : "[" + reference.getIndex() + "]"));
    return String.join(".", parts);
  }

  /** " (did you mean x.y?)" for the known key closest to {@code key}, when one is close. */
  private static String suggestion(String key, Map<String, JsonNode> leaves) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : leaves.keySet()) {
      int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean " + best + "?)" : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}

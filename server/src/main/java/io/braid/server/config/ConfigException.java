package io.braid.server.config;

/** A configuration that cannot be used; the message names the key and says what is wrong with it. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The offending key ({@code section.key}), environment variable or flag. */
  public String key() {
    return key;
  }
}

package io.braid.client;

import io.braid.protocol.ws.WsLimits;
import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.protocol.ws.deflate.DeflateParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings of a {@link WsClient}. Mutable while being built; the client takes a copy. */
public final class WsClientOptions {
  private List<String> subprotocols = new ArrayList<>();
  private Map<String, String> headers = new LinkedHashMap<>();
  private WsLimits limits = WsLimits.DEFAULT;
  private int connectTimeoutMillis = 10_000;
  private long handshakeTimeoutMillis = 10_000;
  private long closeTimeoutMillis = 5_000;
  private boolean tls;
  private String trustPemFile;
  private DeflateParameters deflateOffer;
  private DeflateConfig deflateConfig = DeflateConfig.DEFAULT;

  public WsClientOptions() {}

  public WsClientOptions(WsClientOptions other) {
    subprotocols = new ArrayList<>(other.subprotocols);
    headers = new LinkedHashMap<>(other.headers);
    limits = other.limits;
    connectTimeoutMillis = other.connectTimeoutMillis;
    handshakeTimeoutMillis = other.handshakeTimeoutMillis;
    closeTimeoutMillis = other.closeTimeoutMillis;
    tls = other.tls;
    trustPemFile = other.trustPemFile;
    deflateOffer = other.deflateOffer;
    deflateConfig = other.deflateConfig;
  }

  public List<String> subprotocols() { return subprotocols; }

  /** Subprotocols to offer, most preferred first. */
  public WsClientOptions subprotocols(List<String> subprotocols) { this.subprotocols = new ArrayList<>(subprotocols); return this; }

  public Map<String, String> headers() { return headers; }

  /** Adds a header to the handshake request, e.g. {@code Origin} or {@code Authorization}. */
  public WsClientOptions header(String name, String value) { headers.put(name, value); return this; }

  public WsLimits limits() { return limits; }

  /** Frame and message size limits for what the server sends. Default 16 MiB each. */
  public WsClientOptions limits(WsLimits limits) { this.limits = limits; return this; }

  public int connectTimeoutMillis() { return connectTimeoutMillis; }

  public WsClientOptions connectTimeoutMillis(int millis) { this.connectTimeoutMillis = millis; return this; }

  public long handshakeTimeoutMillis() { return handshakeTimeoutMillis; }

  /** Time the server has to answer the handshake. Default 10 s. */
  public WsClientOptions handshakeTimeoutMillis(long millis) { this.handshakeTimeoutMillis = millis; return this; }

  public long closeTimeoutMillis() { return closeTimeoutMillis; }

  /** Time to wait for the server to close TCP after the close handshake. Default 5 s. */
  public WsClientOptions closeTimeoutMillis(long millis) { this.closeTimeoutMillis = millis; return this; }

  /** Whether connections use TLS ({@code wss://}). */
  public boolean tls() { return tls; }

  public WsClientOptions tls(boolean tls) { this.tls = tls; return this; }

  /** The PEM file of the certificate authorities TLS trusts, or null for the JVM's trust store. */
  public String trustPemFile() { return trustPemFile; }

  public WsClientOptions trustPemFile(String path) { this.trustPemFile = path; return this; }

  /** The permessage-deflate offer, or null (the default) to offer no compression. */
  public DeflateParameters deflateOffer() { return deflateOffer; }

  public DeflateConfig deflateConfig() { return deflateConfig; }

  /**
   * Offers permessage-deflate (RFC 7692) as browsers do ({@code client_max_window_bits}), compressing with
   * {@code config} if the server accepts.
   */
  public WsClientOptions permessageDeflate(DeflateConfig config) {
    return permessageDeflate(DeflateParameters.BROWSER_OFFER, config);
  }

  /** Offers permessage-deflate with the given parameters; a null {@code offer} offers none. */
  public WsClientOptions permessageDeflate(DeflateParameters offer, DeflateConfig config) {
    this.deflateOffer = offer;
    this.deflateConfig = config;
    return this;
  }
}

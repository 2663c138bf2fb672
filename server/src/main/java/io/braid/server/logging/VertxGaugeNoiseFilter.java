package io.braid.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one harmless Micrometer warning: Vert.x's metrics register the gauge of active connections again for every
 * new connection and rely on Micrometer to keep the first registration (they count with their own shared adder),
 * which Micrometer reports as {@code This Gauge has been already registered (MeterId{name='vertx....'})}. Every
 * other log line, Micrometer's other warnings included, passes.
 */
public final class VertxGaugeNoiseFilter extends Filter<ILoggingEvent> {

  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  static final String PREFIX = "This Gauge has been already registered (MeterId{name='vertx.";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (LOGGER.equals(event.getLoggerName()) && event.getFormattedMessage() != null
        && event.getFormattedMessage().startsWith(PREFIX)) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}

package io.braid.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class VertxGaugeNoiseFilterTest {

  private final VertxGaugeNoiseFilter filter = new VertxGaugeNoiseFilter();
  private final LoggerContext context = new LoggerContext();

  private FilterReply decide(String logger, String message) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), Level.WARN, message, null,
        null);
    return filter.decide(event);
  }

  @Test
  void dropsMicrometersWarningAboutAVertxGaugeRegisteredAgain() {
    assertThat(decide(VertxGaugeNoiseFilter.LOGGER, "This Gauge has been already registered (MeterId{name="
        + "'vertx.http.server.active.connections', tags=[]}), the registration will be ignored."))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void letsEveryOtherLineThrough() {
    assertThat(decide(VertxGaugeNoiseFilter.LOGGER, "This Gauge has been already registered (MeterId{name="
        + "'braid.connections', tags=[]}), the registration will be ignored.")).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(VertxGaugeNoiseFilter.LOGGER, "some other warning")).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("io.braid.server.Other", VertxGaugeNoiseFilter.PREFIX)).isEqualTo(FilterReply.NEUTRAL);
  }
}

package io.braid.protocol.ws.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeflateNegotiationTest {
  private static String accept(String header) {
    DeflateParameters agreed = DeflateNegotiation.accept(List.of(header), true);
    return agreed == null ? null : agreed.headerValue();
  }

  /** Every combination of the four parameters a client may offer. */
  static List<DeflateParameters> everyOffer() {
    List<DeflateParameters> offers = new ArrayList<>();
    int[] serverBits = {0, 8, 9, 10, 11, 12, 13, 14, 15};
    int[] clientBits = {0, -1, 8, 9, 10, 11, 12, 13, 14, 15};
    for (boolean serverNo : new boolean[] {false, true}) {
      for (boolean clientNo : new boolean[] {false, true}) {
        for (int s : serverBits) {
          for (int c : clientBits) {
            offers.add(new DeflateParameters(serverNo, clientNo, s, c));
          }
        }
      }
    }
    return offers;
  }

  @ParameterizedTest
  @MethodSource("everyOffer")
  void acceptsEveryValidOfferKeepingWhatItAsksOfTheServer(DeflateParameters offer) {
    DeflateParameters agreed = DeflateNegotiation.accept(List.of(offer.headerValue()), true);
    assertThat(agreed).isEqualTo(new DeflateParameters(
        offer.serverNoContextTakeover(), offer.clientNoContextTakeover(), offer.serverMaxWindowBits(), 0));
    assertThat(DeflateNegotiation.agree(List.of(agreed.headerValue()), offer)).isEqualTo(agreed);
  }

  @ParameterizedTest
  @MethodSource("everyOffer")
  void withoutContextTakeoverTheServerResetsItsOwnCompressorWhateverTheOffer(DeflateParameters offer) {
    DeflateParameters agreed = DeflateNegotiation.accept(List.of(offer.headerValue()), false);
    assertThat(agreed.serverNoContextTakeover()).isTrue();
    assertThat(agreed.clientNoContextTakeover()).as("only where offered: Netty's client refuses it otherwise")
        .isEqualTo(offer.clientNoContextTakeover());
    assertThat(DeflateNegotiation.agree(List.of(agreed.headerValue()), offer)).isEqualTo(agreed);
  }

  @Test
  void acceptsTheOfferOfChromium() {
    assertThat(accept("permessage-deflate; client_max_window_bits")).isEqualTo("permessage-deflate");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "permessage-deflate; server_max_window_bits",
      "permessage-deflate; server_max_window_bits=7",
      "permessage-deflate; server_max_window_bits=16",
      "permessage-deflate; server_max_window_bits=08",
      "permessage-deflate; client_max_window_bits=abc",
      "permessage-deflate; server_no_context_takeover=1",
      "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
      "permessage-deflate; mystery",
      "x-webkit-deflate-frame",
  })
  void declinesAnOfferItCannotAccept(String header) {
    assertThat(accept(header)).isNull();
  }

  @Test
  void fallsBackToTheNextOfferWhenTheFirstIsInvalid() {
    assertThat(accept("permessage-deflate; server_max_window_bits=20, permessage-deflate; server_no_context_takeover"))
        .isEqualTo("permessage-deflate; server_no_context_takeover");
  }

  @Test
  void readsQuotedValuesAndOffersSpreadOverSeveralHeaders() {
    DeflateParameters agreed = DeflateNegotiation.accept(
        List.of("foo; bar=\"a,b\"", "permessage-deflate; server_max_window_bits=\"10\""), true);
    assertThat(agreed.serverMaxWindowBits()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"permessage-deflate;", "permessage-deflate; a=\"open", "=x", "permessage-deflate x"})
  void rejectsAHeaderThatBreaksTheGrammar(String header) {
    assertThatThrownBy(() -> DeflateNegotiation.accept(List.of(header), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClientRejectsALimitOnItsWindowItDidNotOffer() {
    DeflateParameters offer = new DeflateParameters(false, false, 0, 0);
    assertThatThrownBy(() -> DeflateNegotiation.agree(List.of("permessage-deflate; client_max_window_bits=10"), offer))
        .hasMessageContaining("client_max_window_bits was not offered");
  }

  @Test
  void aClientRejectsALargerWindowThanItOffered() {
    DeflateParameters offer = new DeflateParameters(false, false, 0, 10);
    assertThatThrownBy(() -> DeflateNegotiation.agree(List.of("permessage-deflate; client_max_window_bits=12"), offer))
        .hasMessageContaining("exceeds");
  }

  @Test
  void aClientRejectsAResponseWithoutTheServerLimitsItAskedFor() {
    DeflateParameters offer = new DeflateParameters(true, false, 10, 0);
    assertThatThrownBy(() -> DeflateNegotiation.agree(List.of("permessage-deflate; server_max_window_bits=10"), offer))
        .hasMessageContaining("server_no_context_takeover");
    assertThatThrownBy(() -> DeflateNegotiation.agree(List.of("permessage-deflate; server_no_context_takeover"), offer))
        .hasMessageContaining("server_max_window_bits");
  }

  @Test
  void aClientRejectsAnExtensionItDidNotOffer() {
    assertThatThrownBy(() -> DeflateNegotiation.agree(List.of("permessage-deflate, x-other"), DeflateParameters.BROWSER_OFFER))
        .hasMessageContaining("not offered");
  }
}

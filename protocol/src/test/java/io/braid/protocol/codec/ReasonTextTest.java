package io.braid.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ReasonTextTest {

  @Test
  void replacesLoneSurrogatesAndControlCharacters() {
    assertThat(ReasonText.of("bad \ud800 type\nnext")).isEqualTo("bad \uFFFD type next");
    assertThat(ReasonText.of("pair \ud83d\ude00 kept")).isEqualTo("pair \ud83d\ude00 kept");
    assertThat(ReasonText.of("\udc00\ud800")).isEqualTo("\uFFFD\uFFFD");
  }

  @Test
  void leavesPlainTextAsItIs() {
    String plain = "not authorized to publish to a/b";
    assertThat(ReasonText.of(plain)).isSameAs(plain);
    assertThat(ReasonText.of(null)).isNull();
  }

  @Test
  void cutsLongTextOnACodePointBoundaryWithAnEllipsis() {
    String cut = ReasonText.of("é".repeat(200)); // 400 bytes
    assertThat(cut).endsWith("...").startsWith("éé");
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ReasonText.MAX_BYTES);
    String exactly = "x".repeat(ReasonText.MAX_BYTES);
    assertThat(ReasonText.of(exactly)).isEqualTo(exactly);
  }

  @Property
  void anyTextBecomesEncodableAndBounded(@ForAll String text) {
    String safe = ReasonText.of(text);
    byte[] utf8 = safe.getBytes(StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(ReasonText.MAX_BYTES);
    assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(safe); // no lone surrogate was lost to '?'
  }

  @Test
  void quotesInputWithJsonEscapes() {
    assertThat(ReasonText.quote("PUBLISH")).isEqualTo("'PUBLISH'");
    assertThat(ReasonText.quote("\ud800")).isEqualTo("'\\ud800'");
    assertThat(ReasonText.quote("it's\\")).isEqualTo("'it\\'s\\\\'");
    assertThat(ReasonText.quote("x".repeat(100))).isEqualTo("'" + "x".repeat(64) + "'...");
  }

  @Test
  void namesThatLookLikeNamesAreNotQuoted() {
    assertThat(ReasonText.name("retian")).isEqualTo("retian");
    assertThat(ReasonText.name("\ud800")).isEqualTo("'\\ud800'");
    assertThat(ReasonText.name("")).isEqualTo("''");
  }
}

package io.braid.protocol.mux;

import static io.braid.protocol.mux.Frames.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Any frame round-trips through {@link JsonFrameCodec}, a DATA frame's payload being exactly the
 * text of any message object; and no text at all makes the decoder throw anything but
 * {@link StreamLayerException}.
 */
class JsonFrameCodecPropertyTest {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final JsonFrameCodec CODEC = new JsonFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());

  /** A random JSON object: strings full of braces, quotes, escapes and any Unicode, nested up to 4 deep. */
  static String message(long seed) {
    Random random = new Random(seed);
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeObject(g, random, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeObject(JsonGenerator g, Random random, int depth) throws IOException {
    g.writeStartObject();
    int fields = random.nextInt(depth == 0 ? 5 : 3);
    for (int i = 0; i < fields; i++) {
      g.writeFieldName(text(random));
      writeValue(g, random, depth + 1);
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Random random, int depth) throws IOException {
    switch (random.nextInt(depth < 4 ? 7 : 5)) {
      case 0 -> g.writeString(text(random));
      case 1 -> g.writeNumber(random.nextLong());
      case 2 -> g.writeNumber(random.nextDouble() * 1e6);
      case 3 -> g.writeBoolean(random.nextBoolean());
      case 4 -> g.writeNull();
      case 5 -> writeObject(g, random, depth);
      default -> {
        g.writeStartArray();
        for (int i = random.nextInt(3); i > 0; i--) {
          writeValue(g, random, depth + 1);
        }
        g.writeEndArray();
      }
    }
  }

  private static final String TRICKY = "{}[]\"\\:,/ \t\n\u0000\u001fé€😀";

  private static String text(Random random) {
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      int pick = random.nextInt(3);
      if (pick == 0) {
        sb.appendCodePoint(TRICKY.codePointAt(TRICKY.offsetByCodePoints(0, random.nextInt(TRICKY.codePointCount(0, TRICKY.length())))));
      } else if (pick == 1) {
        sb.append((char) ('a' + random.nextInt(26)));
      } else {
        int cp = random.nextInt(0x10FFFF + 1);
        sb.appendCodePoint(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 'x' : cp);
      }
    }
    return sb.toString();
  }

  @Provide
  Arbitrary<StreamFrame> frames() {
    return Frames.frames(Arbitraries.longs().map(seed -> Buffer.buffer(message(seed), "UTF-8")));
  }

  @Property(tries = 1000)
  void everyFrameRoundTrips(@ForAll("frames") StreamFrame frame) {
    Buffer text = JsonFrameCodec.encode(frame);
    assertThat(describe(CODEC.decode(text))).isEqualTo(describe(frame));
  }

  @Property(tries = 500)
  void dataPayloadIsTheMessageTextWhereverTheFieldIs(@ForAll long seed, @ForAll boolean end) {
    String message = message(seed);
    Random random = new Random(seed);
    List<String> fields = new ArrayList<>(List.of("\"stream\":7", "\"end\":" + end, "\"frame\":\"data\"", "\"message\":" + message));
    Collections.shuffle(fields, random);
    String json = "{" + String.join(random.nextBoolean() ? "," : " ,\n ", fields) + "}";
    StreamFrame.Data data = (StreamFrame.Data) CODEC.decode(Buffer.buffer(json, "UTF-8"));
    assertThat(data.payload().toString(StandardCharsets.UTF_8)).isEqualTo(message);
    assertThat(data.streamId()).isEqualTo(7);
    assertThat(data.endStream()).isEqualTo(end);
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(60);
  }

  @Property(tries = 3000)
  void anyTextIsAFrameOrAStreamLayerException(@ForAll("anyText") String text) {
    decodeOrStreamLayerException(Buffer.buffer(text, "UTF-8"));
  }

  @Property(tries = 3000)
  void anyBytesAreAFrameOrAStreamLayerException(@ForAll @Size(max = 60) byte[] bytes) {
    decodeOrStreamLayerException(Buffer.buffer(bytes));
  }

  /** Pieces of frames, so that random texts get past the tokenizer into the frame rules. */
  @Provide
  Arbitrary<String> tokenSoup() {
    Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", " ", "\u0000", "\uFEFF",
        "\"stream\"", "\"frame\"", "\"message\"", "\"end\"", "\"error\"", "\"increment\"", "\"settings\"",
        "\"lastStreamId\"", "\"reason\"", "\"serverReference\"", "\"initialStreamWindow\"", "\"maxFramePayload\"",
        "\"data\"", "\"reset\"", "\"window_update\"", "\"goaway\"", "\"cancel\"", "\"error_7\"", "\"x\"", "\"\\u00e9\"",
        "0", "1", "-1", "2147483648", "99999999999999999999", "1.5", "1e3", "true", "null");
    return token.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
  }

  @Property(tries = 5000)
  void tokenSoupIsAFrameOrAStreamLayerException(@ForAll("tokenSoup") String text) {
    decodeOrStreamLayerException(Buffer.buffer(text, "UTF-8"));
  }

  private static void decodeOrStreamLayerException(Buffer text) {
    try {
      StreamFrame frame = CODEC.decode(text);
      assertThat(frame).isNotNull();
    } catch (StreamLayerException expected) {
      assertThat(expected.reason()).isNotBlank();
    }
  }
}

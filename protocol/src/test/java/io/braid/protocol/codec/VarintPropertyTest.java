package io.braid.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Varints written by {@link ByteWriter} read back by {@link ByteReader}, and any bytes read safely. */
class VarintPropertyTest {

  @Property(tries = 2000)
  void everyUnsigned32BitValueRoundTrips(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long value) {
    Buffer out = ByteWriter.writeVarint(Buffer.buffer(), value);
    assertThat(out.length()).isEqualTo(ByteWriter.varintSize(value));
    ByteReader in = new ByteReader(out);
    assertThat(in.readVarint("v")).isEqualTo(value);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Property(tries = 2000)
  void anyBytesReadAsAVarintOrAMalformedException(@ForAll @Size(max = 7) byte[] bytes) {
    ByteReader in = new ByteReader(Buffer.buffer(bytes));
    try {
      long value = in.readVarint("v");
      assertThat(value).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(in.position()).isBetween(1, 5);
    } catch (MalformedException expected) {
      assertThat(expected.field()).isEqualTo("v");
    }
  }
}

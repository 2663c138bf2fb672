package io.braid.protocol.message;

import static io.braid.protocol.codec.ByteWriter.varintSize;
import static io.braid.protocol.codec.ByteWriter.writeVarint;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/** The sizes and writers of the binary encoding's strings, byte fields and user properties (PROTOCOL.md 6.3). */
final class BinaryPrimitives {
  private BinaryPrimitives() {}

  static int stringSize(String s, String field) {
    int length = Utf8.length(s, field);
    return varintSize(length) + length;
  }

  static void writeString(Buffer out, String s, String field) {
    int length = Utf8.length(s, field);
    writeVarint(out, length);
    Utf8.write(out, s, length);
  }

  static int bytesSize(Buffer b) {
    return varintSize(b.length()) + b.length();
  }

  static int userPropertiesSize(List<UserProperty> properties, String field) {
    int size = varintSize(properties.size());
    for (int i = 0; i < properties.size(); i++) {
      UserProperty property = properties.get(i);
      size += stringSize(property.name(), field) + stringSize(property.value(), field);
    }
    return size;
  }

  static void writeUserProperties(Buffer out, List<UserProperty> properties, String field) {
    writeVarint(out, properties.size());
    for (int i = 0; i < properties.size(); i++) {
      UserProperty property = properties.get(i);
      writeString(out, property.name(), field);
      writeString(out, property.value(), field);
    }
  }
}

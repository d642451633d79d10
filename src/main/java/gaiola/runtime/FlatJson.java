package gaiola.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scalar fields of one JSON object (runc's state and log lines, Gaiola's run records), on
 * Jackson's streaming parser; nested values are skipped.
 */
public final class FlatJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private FlatJson() {}

  /** The object's top-level scalar fields as text; throws on anything but a JSON object. */
  public static Map<String, String> read(String json) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (t != JsonToken.VALUE_NULL) {
          fields.put(name, p.getText());
        }
      }
    }
    return fields;
  }

  /** One JSON object of the given fields; numbers stay numbers. */
  public static String write(Map<String, Object> fields) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        switch (e.getValue()) {
          case Long l -> g.writeNumberField(e.getKey(), l);
          case Integer i -> g.writeNumberField(e.getKey(), i);
          case Boolean b -> g.writeBooleanField(e.getKey(), b);
          case Object o -> g.writeStringField(e.getKey(), o.toString());
        }
      }
      g.writeEndObject();
    }
    return out.toString();
  }
}

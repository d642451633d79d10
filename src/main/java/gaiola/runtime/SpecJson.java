package gaiola.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@link OciSpec} records as {@code config.json} on Jackson's streaming generator: the
 * record component names are the specification's field names, and null components are left out.
 * Databind would do the same, but its start-up costs a one-shot CLI about 0.2 s on every start.
 */
public final class SpecJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private SpecJson() {}

  public static void write(OciSpec spec, OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      value(g, spec);
    }
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case List<?> list -> {
        g.writeStartArray();
        for (Object o : list) {
          value(g, o);
        }
        g.writeEndArray();
      }
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeFieldName(e.getKey().toString());
          value(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Record r -> record(g, r);
      default -> throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  private static void record(JsonGenerator g, Record r) throws IOException {
    g.writeStartObject();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("reading " + c.getName(), e);
      }
      if (v != null) {
        g.writeFieldName(c.getName());
        value(g, v);
      }
    }
    g.writeEndObject();
  }
}

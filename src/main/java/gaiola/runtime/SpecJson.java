package gaiola.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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

  /** A record component's JSON name and accessor. */
  private record Field(String name, Method accessor) {}

  // getRecordComponents() hands out new accessor Methods on every call, and each new Method
  // builds its own accessor on first invoke: once per class instead of once per record written.
  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          Field[] fields = new Field[components.length];
          for (int i = 0; i < components.length; i++) {
            fields[i] = new Field(components[i].getName(), components[i].getAccessor());
          }
          return List.of(fields);
        }
      };

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
    for (Field f : FIELDS.get(r.getClass())) {
      Object v;
      try {
        v = f.accessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("reading " + f.name(), e);
      }
      if (v != null) {
        g.writeFieldName(f.name());
        value(g, v);
      }
    }
    g.writeEndObject();
  }
}

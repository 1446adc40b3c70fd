package dev.holdfast.tasks.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task's state record as a JSON object in one text column: readable in the database and in {@code holdfast tasks},
 * stable across JVMs and releases (components are matched by name, so adding a component with a default is safe), and
 * without a dependency on a JSON library. Supported component types: primitives and their boxes, {@link String},
 * {@link BigDecimal}, {@link Instant}, enums, nested records, and {@code List}s of any of these. Anything else is
 * refused when the task type is registered, not when the first checkpoint is written.
 */
public final class RecordJson {
    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    private RecordJson() {
    }

    /** Checks that {@code type} is a record made only of supported component types; the message names the first one that is not. */
    public static void check(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record; a task's state must be a record "
                    + "(its components are stored as JSON in holdfast_task.checkpoint)");
        }
        for (RecordComponent c : type.getRecordComponents()) {
            checkType(c.getGenericType(), type.getSimpleName() + "." + c.getName());
        }
    }

    private static void checkType(Type t, String where) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            checkType(p.getActualTypeArguments()[0], where + "[]");
            return;
        }
        if (t instanceof Class<?> c && (c.isPrimitive() || c == String.class || c == BigDecimal.class
                || c == Instant.class || c.isEnum() || Number.class.isAssignableFrom(c) && c.getName().startsWith("java.lang")
                || c == Boolean.class || c == Character.class)) {
            return;
        }
        if (t instanceof Class<?> c && c.isRecord()) {
            check(c);
            return;
        }
        throw new IllegalArgumentException(where + " has type " + t.getTypeName() + ", which a task state cannot hold; "
                + "use primitives, String, BigDecimal, Instant, enums, records or List of these");
    }

    /** The JSON text of {@code value}, a record checked by {@link #check}. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String || v instanceof Character || v instanceof Instant || v instanceof Enum<?>) {
            writeString(out, v instanceof Enum<?> e ? e.name() : v.toString());
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            out.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                writeString(out, Double.toString(d));
            } else {
                out.append(v);
            }
        } else if (v instanceof BigDecimal b) {
            writeString(out, b.toString());
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeValue(out, list.get(i));
            }
            out.append(']');
        } else if (v instanceof Record r) {
            out.append('{');
            boolean first = true;
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, c.getName());
                out.append(':');
                try {
                    c.getAccessor().setAccessible(true);
                    writeValue(out, c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c, e);
                }
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("a task state cannot hold a " + v.getClass().getName());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Reads JSON written by {@link #write} back into a {@code type}; a component missing from the text gets its default. */
    public static <T> T read(String json, Class<T> type) {
        Parser p = new Parser(json);
        Object tree = p.value();
        return type.cast(convert(tree, type));
    }

    private static Object convert(Object tree, Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (tree == null) {
                return List.of();
            }
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) tree) {
                out.add(convert(item, p.getActualTypeArguments()[0]));
            }
            return Collections.unmodifiableList(out);
        }
        Class<?> c = (Class<?>) t;
        if (tree == null) {
            return c.isPrimitive() ? defaultOf(c) : null;
        }
        if (c == String.class) {
            return tree;
        }
        if (c == int.class || c == Integer.class) {
            return ((BigDecimal) tree).intValueExact();
        }
        if (c == long.class || c == Long.class) {
            return ((BigDecimal) tree).longValueExact();
        }
        if (c == short.class || c == Short.class) {
            return ((BigDecimal) tree).shortValueExact();
        }
        if (c == byte.class || c == Byte.class) {
            return ((BigDecimal) tree).byteValueExact();
        }
        if (c == double.class || c == Double.class) {
            return tree instanceof String s ? Double.parseDouble(s) : ((BigDecimal) tree).doubleValue();
        }
        if (c == float.class || c == Float.class) {
            return tree instanceof String s ? Float.parseFloat(s) : ((BigDecimal) tree).floatValue();
        }
        if (c == boolean.class || c == Boolean.class) {
            return tree;
        }
        if (c == char.class || c == Character.class) {
            return ((String) tree).charAt(0);
        }
        if (c == BigDecimal.class) {
            return new BigDecimal((String) tree);
        }
        if (c == Instant.class) {
            return Instant.parse((String) tree);
        }
        if (c.isEnum()) {
            return enumValue(c, (String) tree);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) tree;
        RecordComponent[] components = c.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = convert(fields.get(components[i].getName()), components[i].getGenericType());
        }
        try {
            return CONSTRUCTORS.computeIfAbsent(c, RecordJson::canonical).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + c.getName() + " from its checkpoint", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> c, String name) {
        return Enum.valueOf((Class) c, name);
    }

    private static Object defaultOf(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == char.class) {
            return '\0';
        }
        return convert(BigDecimal.ZERO, c);
    }

    private static Constructor<?> canonical(Class<?> c) {
        Class<?>[] types = new Class<?>[c.getRecordComponents().length];
        for (int i = 0; i < types.length; i++) {
            types[i] = c.getRecordComponents()[i].getType();
        }
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small recursive-descent parser for the JSON subset {@link #write} produces. Numbers become BigDecimal. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char ch = s.charAt(i);
            switch (ch) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new java.util.HashMap<>();
                    skip();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        skip();
                        String key = string();
                        skip();
                        expect(':');
                        m.put(key, value());
                        skip();
                        if (s.charAt(i++) == '}') {
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    skip();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        skip();
                        if (s.charAt(i++) == ']') {
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    return new BigDecimal(s.substring(start, i));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return out.toString();
                }
                if (ch == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(ch);
                }
            }
        }

        private void expect(char ch) {
            if (s.charAt(i) != ch) {
                throw new IllegalArgumentException("checkpoint JSON: expected '" + ch + "' at " + i + " in " + s);
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}

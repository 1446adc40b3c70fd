package dev.holdfast.draft;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Column values as text in the draft tables, and back. The record component's type says how to read the text, so
 * the text carries no type tag; every conversion is exact (doubles print their shortest round-tripping form).
 */
final class ValueText {
    private ValueText() {
    }

    static String encode(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object decode(String text, Class<?> type) {
        if (text == null) {
            return null;
        }
        if (type == String.class) {
            return text;
        }
        if (type == long.class || type == Long.class) {
            return Long.valueOf(text);
        }
        if (type == int.class || type == Integer.class) {
            return Integer.valueOf(text);
        }
        if (type == short.class || type == Short.class) {
            return Short.valueOf(text);
        }
        if (type == byte.class || type == Byte.class) {
            return Byte.valueOf(text);
        }
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.valueOf(text);
        }
        if (type == double.class || type == Double.class) {
            return Double.valueOf(text);
        }
        if (type == float.class || type == Float.class) {
            return Float.valueOf(text);
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(text);
        }
        if (type == byte[].class) {
            return Base64.getDecoder().decode(text);
        }
        if (type == UUID.class) {
            return UUID.fromString(text);
        }
        if (type == Instant.class) {
            return Instant.parse(text);
        }
        if (type == LocalDate.class) {
            return LocalDate.parse(text);
        }
        if (type == LocalDateTime.class) {
            return LocalDateTime.parse(text);
        }
        if (type == OffsetDateTime.class) {
            return OffsetDateTime.parse(text);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class) type, text);
        }
        throw new IllegalStateException("no text form for " + type.getName());
    }

    /**
     * Equality as the merge needs it: byte arrays by content, decimals by value (the database may hand back
     * {@code 10.50} for a {@code 10.5} the draft recorded), everything else by {@code equals}.
     */
    static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }
}

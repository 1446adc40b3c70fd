package dev.holdfast.internal.record;

import dev.holdfast.error.MappingException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import dev.holdfast.record.Column;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What Holdfast knows about one record class: its table, its components and their columns, the id and version
 * components, and method handles for the accessors and the canonical constructor. Built once per class (a
 * {@link ClassValue}) and checked as it is built, so a mapping problem fails on first use with a message naming the
 * record, the component and the fix.
 */
final class RecordType<T> {

    private static final ClassValue<RecordType<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordType<?> computeValue(Class<?> type) {
            return new RecordType<>(type);
        }
    };

    private static final Set<Class<?>> SCALARS = Set.of(
            boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class, int.class, Integer.class,
            long.class, Long.class, float.class, Float.class, double.class, Double.class, String.class,
            BigDecimal.class, byte[].class, UUID.class, Instant.class, LocalDate.class, LocalDateTime.class,
            OffsetDateTime.class);

    /** One record component and the column it maps to. */
    record Field(int index, String name, String column, Class<?> type, MethodHandle accessor,
                 Function<Object, Object> reader) {
        boolean primitive() {
            return type.isPrimitive();
        }

        Object get(Object record) {
            return reader.apply(record);
        }
    }

    /**
     * The accessor as a plain {@link Function} spun by {@link LambdaMetafactory}: reading a component is then an
     * ordinary interface call the JIT can inline. {@code invokeExact} on a handle held in a field checks the call's
     * type every time; a JFR profile of a 1,000-row {@code insertAll} on SQLite showed reading components this way at
     * 18% of all samples ({@code Invokers.checkExactType} and boxing). Falls back to the handle when the record's
     * class cannot be reached that way.
     */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> reader(RecordComponent rc, MethodHandle accessor) {
        try {
            Class<?> owner = rc.getDeclaringRecord();
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
            CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                    MethodType.methodType(Object.class, Object.class), lookup.unreflect(rc.getAccessor()),
                    MethodType.methodType(rc.getType(), owner).wrap());
            return (Function<Object, Object>) site.getTarget().invokeExact();
        } catch (Throwable unreachable) {
            String name = rc.getName();
            return record -> {
                try {
                    return (Object) accessor.invokeExact(record);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new MappingException("Reading component " + name + " failed", t);
                }
            };
        }
    }

    final Class<T> type;
    final String table;          // null: a plain record, for ad-hoc queries only
    final Field[] fields;
    final Field id;              // null when none
    final Field version;         // null when none
    private final MethodHandle constructor;   // (Object[])Object
    private final Map<String, Field> byName = new HashMap<>();
    private volatile RecordSql sqlite;
    private volatile RecordSql postgres;
    private volatile RecordSql mariadb;

    @SuppressWarnings("unchecked")
    static <T> RecordType<T> of(Class<T> type) {
        return (RecordType<T>) CACHE.get(type);
    }

    @SuppressWarnings("unchecked")
    static <T> RecordType<T> ofInstance(T record) {
        if (record == null) {
            throw new IllegalArgumentException("The record must not be null");
        }
        return of((Class<T>) record.getClass());
    }

    private RecordType(Class<T> type) {
        this.type = type;
        if (!type.isRecord()) {
            throw new MappingException(type.getName() + " is not a record; Holdfast maps Java records to rows. "
                    + "Declare it as `record " + type.getSimpleName() + "(...)`, or read it with a RowMapper");
        }
        Table t = type.getAnnotation(Table.class);
        this.table = t == null ? null : t.value();
        RecordComponent[] components = type.getRecordComponents();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        fields = new Field[components.length];
        Field idField = null;
        Field versionField = null;
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            checkType(rc);
            Column c = rc.getAnnotation(Column.class);
            String column = c != null ? c.value() : snakeCase(rc.getName());
            MethodHandle accessor;
            try {
                rc.getAccessor().setAccessible(true);
                accessor = lookup.unreflect(rc.getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw inaccessible(e);
            }
            Field f = new Field(i, rc.getName(), column, rc.getType(), accessor, reader(rc, accessor));
            fields[i] = f;
            if (rc.isAnnotationPresent(Id.class)) {
                if (idField != null) {
                    throw new MappingException(type.getSimpleName() + " has two @Id components, " + idField.name()
                            + " and " + rc.getName() + "; Holdfast supports one-column keys. Keep @Id on one of them");
                }
                idField = f;
            }
            if (rc.isAnnotationPresent(Version.class)) {
                Class<?> v = rc.getType();
                if (v != long.class && v != Long.class && v != int.class && v != Integer.class) {
                    throw new MappingException(type.getSimpleName() + "." + rc.getName() + " is a @Version of type "
                            + v.getSimpleName() + "; a version must be long, int, Long or Integer");
                }
                if (versionField != null) {
                    throw new MappingException(type.getSimpleName() + " has two @Version components, "
                            + versionField.name() + " and " + rc.getName() + "; keep one");
                }
                versionField = f;
            }
            if (byName.put(column.toLowerCase(Locale.ROOT), f) != null) {
                throw new MappingException(type.getSimpleName() + " maps two components to column " + column
                        + "; give one of them a different @Column name");
            }
            byName.putIfAbsent(rc.getName().toLowerCase(Locale.ROOT), f);
        }
        if (idField != null && idField == versionField) {
            throw new MappingException(type.getSimpleName() + "." + idField.name() + " cannot be both @Id and @Version");
        }
        this.id = idField;
        this.version = versionField;
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            this.constructor = lookup.unreflectConstructor(ctor)
                    .asSpreader(Object[].class, types.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw inaccessible(e);
        }
    }

    /** Builds a record from values in component order (nulls for primitives already rejected by the caller). */
    @SuppressWarnings("unchecked")
    T construct(Object[] values) {
        try {
            return (T) (Object) constructor.invokeExact(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new MappingException("The canonical constructor of " + type.getSimpleName() + " failed: " + t, t);
        }
    }

    /** The component values of a record, in component order. */
    Object[] values(T record) {
        Object[] out = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            out[i] = fields[i].get(record);
        }
        return out;
    }

    /** The field for a component or column name (either, case-insensitive), for update expressions. */
    Field field(String name) {
        Field f = byName.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new MappingException(type.getSimpleName() + " has no component or column named \"" + name
                    + "\"; its columns are " + Arrays.stream(fields).map(Field::column).toList());
        }
        return f;
    }

    /** The table, or a MappingException saying what the operation needs. */
    String requireTable(String operation) {
        if (table == null) {
            throw new MappingException(operation + " needs to know the table of " + type.getSimpleName()
                    + "; annotate it @Table(\"" + snakeCase(type.getSimpleName()) + "\"). A record without @Table "
                    + "can only be read from queries: tx.query(" + type.getSimpleName() + ".class, sql, args...)");
        }
        return table;
    }

    Field requireId(String operation) {
        requireTable(operation);
        if (id == null) {
            throw new MappingException(operation + " needs the primary key of " + type.getSimpleName()
                    + "; mark its key component with @Id");
        }
        return id;
    }

    Field requireVersion(String operation) {
        requireId(operation);
        if (version == null) {
            throw new MappingException(type.getSimpleName() + ".update(...) needs a @Version component to detect "
                    + "stale writes; use modify(" + type.getSimpleName() + ".class, id, fn) for a locked "
                    + "read-modify-write, an atomic update(" + type.getSimpleName() + ".class, id, set(...)), or add "
                    + "a version column (`@Version long version`)");
        }
        return version;
    }

    /** SQL text and column readers for this record on one database. */
    RecordSql sql(Dialect dialect) {
        if (dialect instanceof SqliteDialect) {
            RecordSql s = sqlite;
            return s != null ? s : (sqlite = new RecordSql(this, dialect));
        }
        if (dialect instanceof PostgresDialect) {
            RecordSql s = postgres;
            return s != null ? s : (postgres = new RecordSql(this, dialect));
        }
        RecordSql s = mariadb;
        return s != null ? s : (mariadb = new RecordSql(this, dialect));
    }

    String describe(Object idValue) {
        return type.getSimpleName() + " " + (id == null ? "" : id.name() + "=") + idValue;
    }

    static String snakeCase(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1));
                boolean beforeLower = i > 0 && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || beforeLower) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void checkType(RecordComponent rc) {
        Class<?> t = rc.getType();
        if (SCALARS.contains(t) || t.isEnum()) {
            return;
        }
        throw new MappingException(type.getSimpleName() + "." + rc.getName() + " has type " + t.getName()
                + ", which Holdfast does not map to a column. Use a primitive or its box, String, BigDecimal, byte[], "
                + "UUID, Instant, LocalDate, LocalDateTime, OffsetDateTime or an enum (stored as its name); or read "
                + "the row with a RowMapper");
    }

    private MappingException inaccessible(Exception e) {
        return new MappingException("Holdfast cannot reach the accessors or canonical constructor of " + type.getName()
                + ": " + e.getMessage() + ". On the module path, open its package to Holdfast "
                + "(`opens " + type.getPackageName() + " to dev.holdfast;`)", e);
    }
}

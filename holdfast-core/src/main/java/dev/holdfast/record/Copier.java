package dev.holdfast.record;

import dev.holdfast.error.MappingException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/**
 * Copies a record with one component changed: the component values are read through cached method handles and the
 * canonical constructor is called with one of them replaced. Built once per record class.
 */
final class Copier {
    private static final ClassValue<Copier> COPIERS = new ClassValue<>() {
        @Override
        protected Copier computeValue(Class<?> type) {
            return new Copier(type);
        }
    };

    private final Class<?> type;
    private final String[] names;
    private final Class<?>[] types;
    private final MethodHandle[] accessors;   // (Object)Object
    private final MethodHandle constructor;   // (Object[])Object

    private Copier(Class<?> type) {
        if (!type.isRecord()) {
            throw new MappingException(type.getName() + " is not a record; with(...) copies records");
        }
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        names = new String[components.length];
        types = new Class<?>[components.length];
        accessors = new MethodHandle[components.length];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getType();
                components[i].getAccessor().setAccessible(true);
                accessors[i] = lookup.unreflect(components[i].getAccessor())
                        .asType(MethodType.methodType(Object.class, Object.class));
            }
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            constructor = lookup.unreflectConstructor(ctor).asSpreader(Object[].class, types.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new MappingException("Holdfast cannot reach the accessors or canonical constructor of "
                    + type.getName() + ": " + e.getMessage() + ". On the module path, open its package to Holdfast",
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    static <R> R copy(R record, Property<R, ?> component, Object value) {
        if (record == null) {
            throw new IllegalArgumentException("with(...) needs a record to copy, got null");
        }
        return (R) COPIERS.get(record.getClass()).copy(record, component.name(), value);
    }

    private Object copy(Object record, String name, Object value) {
        int index = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new MappingException(type.getSimpleName() + " has no component " + name + "; with(...) takes an "
                    + "accessor of the record being copied");
        }
        Class<?> t = types[index];
        if (value == null ? t.isPrimitive() : !box(t).isInstance(value)) {
            throw new MappingException(type.getSimpleName() + "." + name + " is a " + t.getSimpleName()
                    + "; with(...) got " + (value == null ? "null" : "a " + value.getClass().getSimpleName()));
        }
        try {
            Object[] values = new Object[accessors.length];
            for (int i = 0; i < accessors.length; i++) {
                values[i] = i == index ? value : (Object) accessors[i].invokeExact(record);
            }
            return (Object) constructor.invokeExact(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new MappingException("Copying " + type.getSimpleName() + " failed: " + e, e);
        }
    }

    static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return MethodType.methodType(t).wrap().returnType();
    }
}

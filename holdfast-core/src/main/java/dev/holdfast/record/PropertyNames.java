package dev.holdfast.record;

import dev.holdfast.error.MappingException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * The component name behind each {@link Property} method reference, read once per reference class. A method reference
 * such as {@code Product::stock} is one class per call site (and one cached instance when it captures nothing), so a
 * {@link ClassValue} turns the reflective read into a lookup (issue 18 measured +164 B/op for reading it per call).
 */
final class PropertyNames {
    /** Filled on first use; reading the name needs an instance, which ClassValue.computeValue does not get. */
    private static final class Slot {
        volatile String name;
    }

    private static final ClassValue<Slot> SLOTS = new ClassValue<>() {
        @Override
        protected Slot computeValue(Class<?> type) {
            return new Slot();
        }
    };

    private PropertyNames() {
    }

    static String of(Property<?, ?> property) {
        if (property == null) {
            throw new IllegalArgumentException("The property must not be null; name a record accessor such as "
                    + "Product::stock");
        }
        Slot slot = SLOTS.get(property.getClass());
        String name = slot.name;
        if (name == null) {
            name = read(property);   // two threads may both read it once; they get the same name
            slot.name = name;
        }
        return name;
    }

    private static String read(Property<?, ?> property) {
        String name;
        try {
            Method writeReplace = property.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            name = ((SerializedLambda) writeReplace.invoke(property)).getImplMethodName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new MappingException("Cannot read the record component named by " + property + "; use a method "
                    + "reference to a record accessor such as Product::stock, or name the column: set(\"stock\", ...)",
                    e);
        }
        if (name.startsWith("lambda$")) {
            throw new MappingException("A Property must be a method reference to a record accessor such as "
                    + "Product::stock, not a lambda; or name the column: set(\"stock\", ...)");
        }
        return name;
    }
}

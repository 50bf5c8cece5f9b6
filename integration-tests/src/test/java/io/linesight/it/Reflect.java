package io.linesight.it;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Small reflection helpers for tests that drive bundle classes from outside the framework.
 *
 * <p>The test class path deliberately does not contain the wrapped libraries, so their types exist only
 * as {@code Class} objects loaded through a bundle. Exceptions thrown by the invoked code are rethrown
 * unwrapped so a failing native call shows its own message.
 */
final class Reflect {

    private Reflect() {
    }

    static Class<?>[] types(Class<?>... types) {
        return types;
    }

    static Object newInstance(Class<?> type, Class<?>[] parameterTypes, Object... args) throws Exception {
        try {
            return type.getConstructor(parameterTypes).newInstance(args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    static Object call(Object target, String method, Class<?>[] parameterTypes, Object... args) throws Exception {
        return invoke(target.getClass().getMethod(method, parameterTypes), target, args);
    }

    static Object callStatic(Class<?> type, String method, Class<?>[] parameterTypes, Object... args)
            throws Exception {
        return invoke(type.getMethod(method, parameterTypes), null, args);
    }

    static Object field(Object target, String name) throws ReflectiveOperationException {
        return target.getClass().getField(name).get(target);
    }

    static Object staticField(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getField(name);
        return field.get(null);
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    private static Exception unwrap(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof Exception exception ? exception : e;
    }
}

package io.linesight.plc.simulator;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a DS component property type from a map, the way SCR would; unset attributes keep their defaults. */
final class ConfigProxy {

    private ConfigProxy() {
    }

    static <T> T of(Class<T> type, Map<String, ?> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() + values : null;
            }
            Object value = values.get(method.getName());
            return value != null ? value : method.getDefaultValue();
        });
        return type.cast(proxy);
    }
}

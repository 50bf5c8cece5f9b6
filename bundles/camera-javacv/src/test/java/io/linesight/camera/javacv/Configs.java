package io.linesight.camera.javacv;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds {@link CameraConfig} instances from property maps the way Declarative Services does: a method
 * {@code source_id} reads property {@code source.id}, {@code _password} reads {@code .password}, a
 * missing property gives the method's default.
 */
final class Configs {

    private Configs() {
    }

    static CameraConfig camera(Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (CameraConfig) Proxy.newProxyInstance(CameraConfig.class.getClassLoader(),
                new Class<?>[] {CameraConfig.class}, (proxy, method, args) -> value(method, properties));
    }

    /** Settings for {@code url} with test-friendly timings, plus overrides. */
    static CameraSettings settings(String id, String url, Object... overrides) {
        Object[] all = new Object[overrides.length + 8];
        all[0] = "source.id";
        all[1] = id;
        all[2] = "url";
        all[3] = url;
        all[4] = "reconnectBackoffMinMs";
        all[5] = 100;
        all[6] = "reconnectBackoffMaxMs";
        all[7] = 500;
        System.arraycopy(overrides, 0, all, 8, overrides.length);
        return CameraSettings.from(camera(all));
    }

    private static Object value(Method method, Map<String, Object> properties) {
        switch (method.getName()) {
            case "toString": return "CameraConfig" + properties;
            case "hashCode": return properties.hashCode();
            case "equals": return false;
            case "annotationType": return CameraConfig.class;
            default: break;
        }
        String name = method.getName().replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
        Object value = properties.get(name);
        if (value == null) {
            Object fallback = method.getDefaultValue();
            if (fallback == null && method.getReturnType().isPrimitive()) {
                return method.getReturnType() == boolean.class ? false : 0;
            }
            return fallback;
        }
        if (method.getReturnType().isArray() && !value.getClass().isArray()) {
            Object array = Array.newInstance(method.getReturnType().getComponentType(), 1);
            Array.set(array, 0, value);
            return array;
        }
        return value;
    }
}

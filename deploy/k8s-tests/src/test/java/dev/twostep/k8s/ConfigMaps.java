package dev.twostep.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

final class ConfigMaps {

    private ConfigMaps() {
    }

    static Map<String, String> data(KubeObject configMap) {
        Map<String, String> data = new LinkedHashMap<>();
        configMap.at("data").properties().forEach(entry -> data.put(entry.getKey(), entry.getValue().asText()));
        return data;
    }
}

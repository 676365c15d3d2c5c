package dev.twostep.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A name as one URL path segment, so that no name can reach another path of a service. */
final class Segments {

    private Segments() {
    }

    static String of(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.b24bridge.calls;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells what a channel is from its name: a phone (an extension), a trunk (the outside world) or plumbing
 * (Local channels that carry no extension, conference bridges, …). {@code PJSIP/101-00000001} is the phone
 * 101; {@code PJSIP/trunk-00000000} a trunk; {@code Local/101@from-queue-0000001;1} stands for the phone
 * 101 (queues and FreePBX ring groups ring members through Local channels); {@code Local/…@b24bridge-…}
 * channels are the product's dialplan plumbing.
 *
 * @param extensionPattern endpoint names that are extensions
 * @param trunks           endpoint names that are trunks even when they look like extensions
 */
public record Endpoints(Pattern extensionPattern, Set<String> trunks) {

    /** What a leg is. */
    public enum Kind { PHONE, TRUNK, OTHER }

    /** The default: extensions are 2–6 digits, every other endpoint is a trunk. */
    public static Endpoints standard() {
        return new Endpoints(Pattern.compile("[0-9]{2,6}"), Set.of());
    }

    public Kind kind(String channel) {
        String tech = tech(channel);
        String endpoint = endpoint(channel);
        if (tech.equalsIgnoreCase("Local")) {
            // the product's own plumbing (b24bridge-queue, b24bridge-group: a routed call's fallback) never
            // stands for one phone, though a ring group's number looks like an extension
            if (endpoint.contains("@b24bridge-")) {
                return Kind.OTHER;
            }
            return extensionPattern.matcher(localExten(endpoint)).matches() ? Kind.PHONE : Kind.OTHER;
        }
        if (endpoint.isEmpty() || tech.isEmpty()) {
            return Kind.OTHER;
        }
        if (trunks.contains(endpoint)) {
            return Kind.TRUNK;
        }
        return extensionPattern.matcher(endpoint).matches() ? Kind.PHONE : Kind.TRUNK;
    }

    /** The extension of a phone channel; null for other channels. */
    public String extension(String channel) {
        if (kind(channel) != Kind.PHONE) {
            return null;
        }
        String endpoint = endpoint(channel);
        return tech(channel).equalsIgnoreCase("Local") ? localExten(endpoint) : endpoint;
    }

    /** The endpoint of a trunk channel ({@code PJSIP/trunk-00000000} → {@code trunk}); null otherwise. */
    public String trunk(String channel) {
        return kind(channel) == Kind.TRUNK ? endpoint(channel) : null;
    }

    static String tech(String channel) {
        int slash = channel == null ? -1 : channel.indexOf('/');
        return slash < 0 ? "" : channel.substring(0, slash);
    }

    /** {@code PJSIP/101-00000001} → {@code 101}; {@code Local/101@ctx-0000;1} → {@code 101@ctx}. */
    static String endpoint(String channel) {
        int slash = channel == null ? -1 : channel.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String rest = channel.substring(slash + 1);
        int semicolon = rest.lastIndexOf(';');
        if (semicolon >= 0) {
            rest = rest.substring(0, semicolon);
        }
        int dash = rest.lastIndexOf('-');
        return dash > 0 ? rest.substring(0, dash) : rest;
    }

    private static String localExten(String endpoint) {
        int at = endpoint.indexOf('@');
        return at < 0 ? endpoint : endpoint.substring(0, at);
    }
}

package dev.twostep.console.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the console may post a notification. A subscription's URL is chosen by whoever subscribes, and the console
 * posts from inside the cluster, so an unchecked URL would let a subscriber make the console call its own
 * neighbours: the cloud's metadata service (credentials), a pod's loopback, the cluster's private services. The
 * host is resolved and every address it resolves to is judged, because a name can point anywhere; the sender checks
 * again before each post, so a name that is re-pointed after subscribing (DNS rebinding) is caught at the next post,
 * though not within the moment between that check and the HTTP client's own lookup.
 *
 * <p>Link-local addresses (169.254.0.0/16 with the metadata service at 169.254.169.254, fe80::/10), AWS's IPv6
 * metadata address fd00:ec2::254, the unspecified, multicast and broadcast addresses are refused always. Loopback and
 * private ranges (10/8, 172.16/12, 192.168/16, 100.64/10 shared address space, fc00::/7) are refused unless
 * {@code allowPrivate} says that receivers inside the network are meant (the local platform and the tests).
 */
public final class TargetRules {

    public static final int MAX_URL_LENGTH = 2048;

    private static final byte[] AWS_IPV6_METADATA = address("fd00:ec2::254");
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    /** Looks a host name up; the system's resolver in production, a table in tests. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public TargetRules(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** The rules with the system's resolver. */
    public static TargetRules resolvingWithTheSystem(boolean allowPrivate) {
        return new TargetRules(allowPrivate, host -> Arrays.asList(InetAddress.getAllByName(host)));
    }

    /** The rule {@code url} breaks, in words for a problem's violation, or empty when the console may post there. */
    public Optional<String> refusal(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            // credentials in a URL end up in logs and listings; the signature is how a receiver knows the sender
            return Optional.of("must not carry user credentials");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("must name a host that resolves (" + host + " does not)");
        }
        if (addresses.isEmpty()) {
            return Optional.of("must name a host that resolves (" + host + " does not)");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = refusal(address);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private Optional<String> refusal(InetAddress address) {
        return switch (kindOf(address)) {
            case NEVER -> Optional.of("must not resolve to a link-local, metadata, unspecified or multicast address ("
                    + address.getHostAddress() + ")");
            case PRIVATE -> allowPrivate ? Optional.empty() : Optional.of("must not resolve to a loopback or private"
                    + " address (" + address.getHostAddress() + ") unless"
                    + " twostep.console.notifications.allow-private-targets is set");
            case PUBLIC -> Optional.empty();
        };
    }

    private enum Kind { NEVER, PRIVATE, PUBLIC }

    private static Kind kindOf(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            if (Arrays.equals(bytes, AWS_IPV6_METADATA)) {
                return Kind.NEVER;
            }
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                return kindOfIpv4(embedded);
            }
            if (v6.isAnyLocalAddress() || v6.isLinkLocalAddress() || v6.isMulticastAddress()) {
                return Kind.NEVER;
            }
            if (v6.isLoopbackAddress() || v6.isSiteLocalAddress() || (bytes[0] & 0xfe) == 0xfc) {
                return Kind.PRIVATE;
            }
            return Kind.PUBLIC;
        }
        return kindOfIpv4(address.getAddress());
    }

    private static Kind kindOfIpv4(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (first == 0 || (first == 169 && second == 254) || first >= 224) {
            return Kind.NEVER; // "this network", link-local with the metadata service, multicast, reserved, broadcast
        }
        if (first == 127 || first == 10 || (first == 172 && second >= 16 && second <= 31)
                || (first == 192 && second == 168) || (first == 100 && second >= 64 && second <= 127)
                || (first == 198 && (second == 18 || second == 19))) {
            return Kind.PRIVATE;
        }
        return Kind.PUBLIC;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
    private static byte[] embeddedIpv4(byte[] bytes) {
        byte[] prefix = Arrays.copyOf(bytes, 12);
        boolean compatible = Arrays.equals(prefix, new byte[12]) && !(bytes[12] == 0 && bytes[13] == 0
                && bytes[14] == 0 && (bytes[15] == 0 || bytes[15] == 1));
        if (compatible || Arrays.equals(prefix, NAT64_PREFIX)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return null;
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

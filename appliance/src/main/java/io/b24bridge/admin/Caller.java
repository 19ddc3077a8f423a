package io.b24bridge.admin;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;

import io.b24bridge.access.Identity;
import io.b24bridge.access.Sessions;

/**
 * Who sent a request on the admin listener, as {@link AdminGuard} established it (kept in the request's context):
 * the identity, the peer's address, and the panel session when the request came with one.
 */
public record Caller(Identity identity, String address, Optional<Sessions.Session> session) {

    /** The caller of a request that passed the guard with an identity; empty for an anonymous one. */
    public static Optional<Caller> of(ServerRequest req) {
        return req.context().get(Caller.class);
    }

    /** The peer's address, for the audit log and the login throttle. */
    public static String address(ServerRequest req) {
        SocketAddress a = req.remotePeer().address();
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    /** The caller of a route the guard lets only identified callers reach. */
    static Caller required(ServerRequest req) {
        return of(req).orElseThrow(() -> new IllegalStateException("no caller: the route is not guarded"));
    }
}

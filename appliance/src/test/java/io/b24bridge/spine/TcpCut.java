package io.b24bridge.spine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the appliance and the PBX's AMI that a test can cut, as a switch or firewall between them does:
 * {@link #cut()} drops every connection and refuses new ones; {@link #restore()} takes them again on the same port.
 */
final class TcpCut implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private TcpCut(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    static TcpCut to(String host, int port) throws IOException {
        int local;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            local = s.getLocalPort();
        }
        TcpCut cut = new TcpCut(new InetSocketAddress(host, port), local);
        cut.restore();
        return cut;
    }

    int port() {
        return port;
    }

    /** Every connection dropped, new ones refused. */
    synchronized void cut() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** Connections taken again. */
    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread.ofPlatform().daemon().name("tcp-cut-accept").start(() -> accept(s));
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket in = s.accept();
                Socket out = new Socket(target.getAddress(), target.getPort());
                open.add(in);
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return; // cut
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("tcp-cut-pump").start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}

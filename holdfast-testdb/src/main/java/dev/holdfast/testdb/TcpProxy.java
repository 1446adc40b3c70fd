package dev.holdfast.testdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy between a JDBC driver and a database server that can lose a reply on purpose: the fault a network, a
 * load balancer or a server crash causes, reproduced exactly. Armed with {@link #dropReplyAfter(String)}, it forwards
 * the next message that contains the marker (a statement, or {@code COMMIT}) to the server, waits for the server's
 * answer, throws that answer away and cuts both connections. The server has done the work; the client never hears of
 * it.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.inFrontOf(testDatabase)) {
 *     Database db = Database.builder(proxy.url(testDatabase.url())).build();
 *     proxy.dropReplyAfter("COMMIT");
 *     db.useTransaction(tx -> tx.execute("insert into item values (1)"));   // CommitOutcomeUnknownException
 *     proxy.awaitDropped(Duration.ofSeconds(30));                            // the server did answer
 * }
 * }</pre>
 *
 * <p>Markers are matched case-sensitively in the raw bytes the client sends (PostgreSQL and MariaDB send SQL text as
 * written; both drivers send {@code COMMIT} in capitals, and MariaDB's {@code set autocommit=0} is lower case).
 */
public final class TcpProxy implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z]+://)([^/:?]+)(?::(\\d+))?(.*)$");

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<byte[]> armed = new AtomicReference<>();
    private volatile CountDownLatch dropped = new CountDownLatch(1);
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code host:port}, listening on a free port of the loopback interface. */
    public static TcpProxy to(String host, int port) {
        return new TcpProxy(host, port);
    }

    /** A proxy to the server of a PostgreSQL or MariaDB test database. */
    public static TcpProxy inFrontOf(TestDatabase database) {
        Matcher m = HOST_PORT.matcher(database.url());
        if (database.kind() == DatabaseKind.SQLITE || !m.matches()) {
            throw new IllegalArgumentException("A TCP proxy needs a server URL (jdbc:postgresql://host:port/...), got "
                    + database.url());
        }
        int defaultPort = database.kind() == DatabaseKind.POSTGRES ? 5432 : 3306;
        return to(m.group(2), m.group(3) == null ? defaultPort : Integer.parseInt(m.group(3)));
    }

    /** The port this proxy listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String url(String jdbcUrl) {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a server URL with a host: " + jdbcUrl);
        }
        return m.group(1) + "127.0.0.1:" + port() + m.group(4);
    }

    /**
     * Arms the proxy once: the next client message containing {@code marker} reaches the server, and the server's
     * reply to it is dropped and both connections are cut.
     */
    public void dropReplyAfter(String marker) {
        dropped = new CountDownLatch(1);
        armed.set(marker.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until an armed reply was dropped: proof that the server received and answered the message. */
    public boolean awaitDropped(java.time.Duration timeout) throws InterruptedException {
        return dropped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        List.copyOf(open).forEach(TcpProxy::closeQuietly);
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;   // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(upstream);
            Link link = new Link(client, upstream);
            start("tcp-proxy-up-" + client.getPort(), link::clientToServer);
            start("tcp-proxy-down-" + client.getPort(), link::serverToClient);
        }
    }

    private static void start(String name, Runnable pump) {
        Thread t = new Thread(pump, name);
        t.setDaemon(true);
        t.start();
    }

    /** One client connection and its connection to the server. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean dropNextReply;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            byte[] buffer = new byte[16384];
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    byte[] marker = armed.get();
                    // One read holds a whole statement message in practice (the drivers write each in one go).
                    if (marker != null && contains(buffer, n, marker) && armed.compareAndSet(marker, null)) {
                        dropNextReply = true;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away; the other pump sees it too
            } finally {
                cut();
            }
        }

        void serverToClient() {
            byte[] buffer = new byte[16384];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (dropNextReply) {
                        cut();
                        dropped.countDown();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                cut();
            }
        }

        private void cut() {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    private static boolean contains(byte[] data, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}

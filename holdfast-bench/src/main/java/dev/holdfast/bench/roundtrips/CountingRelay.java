package dev.holdfast.bench.roundtrips;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay between a JDBC driver and a PostgreSQL or MariaDB server that counts round trips: on each connection, one
 * round trip is the client sending (one message or several back to back, e.g. pgjdbc's Parse/Bind/Execute/Sync) and
 * then the server answering. Counted on the wire, so a claim such as "3 round trips" is measured, not read from code.
 *
 * <pre>{@code
 * try (CountingRelay relay = CountingRelay.inFrontOf(url)) {
 *     try (Connection c = DriverManager.getConnection(relay.url(url))) {
 *         long before = relay.roundTrips();
 *         c.createStatement().execute("select 1");
 *         long trips = relay.roundTrips() - before;   // 1
 *     }
 * }
 * }</pre>
 *
 * Bytes the server sends without being asked (PostgreSQL's notices after the reply, say) do not count: only the first
 * reply after the client spoke does. Counts are the sum over all connections through the relay.
 */
public final class CountingRelay implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z]+://)([^/:?]+)(?::(\\d+))?(.*)$");

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    private CountingRelay(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("relay-accept-" + server.getLocalPort(), this::accept);
    }

    /** A relay to the server of {@code jdbcUrl} ({@code jdbc:postgresql://host[:port]/...} or MariaDB's). */
    public static CountingRelay inFrontOf(String jdbcUrl) {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.matches() || jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("Round trips are counted for a server reached over TCP "
                    + "(jdbc:postgresql://host:port/..., jdbc:mariadb://host:port/...), not " + jdbcUrl
                    + "; SQLite runs in the process: there is no round trip to count.");
        }
        int fallback = jdbcUrl.startsWith("jdbc:postgresql:") ? 5432 : 3306;
        return new CountingRelay(m.group(2), m.group(3) == null ? fallback : Integer.parseInt(m.group(3)));
    }

    /** {@code jdbcUrl} with its host and port replaced by the relay's. */
    public String url(String jdbcUrl) {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a server URL with a host: " + jdbcUrl);
        }
        return m.group(1) + "127.0.0.1:" + server.getLocalPort() + m.group(4);
    }

    /** Round trips so far, all connections together. */
    public long roundTrips() {
        return roundTrips.get();
    }

    /** Connections the relay has accepted so far (a pool filling itself shows here). */
    public long connections() {
        return connections.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        List.copyOf(open).forEach(CountingRelay::closeQuietly);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            connections.incrementAndGet();
            open.add(client);
            open.add(upstream);
            AtomicBoolean asked = new AtomicBoolean();
            daemon("relay-up", () -> pump(client, upstream, () -> asked.set(true)));
            daemon("relay-down", () -> pump(upstream, client, () -> {
                if (asked.compareAndSet(true, false)) {
                    roundTrips.incrementAndGet();
                }
            }));
        }
    }

    /** Copies {@code from} to {@code to}, calling {@code seen} before forwarding each read. */
    private void pump(Socket from, Socket to, Runnable seen) {
        byte[] buffer = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // before forwarding: the reply cannot arrive before the request is marked as sent
                seen.run();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the other pump sees it too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}

package org.lawgraph.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * lawgraph's local Neo4j 5 Community: the embedded database with its Bolt connector on loopback.
 *
 * <pre>
 *   java -Xmx2g -cp "$(cat target/classpath.txt):target/neo4j-launcher-1.0.jar" \
 *        org.lawgraph.launcher.Neo4jLauncher --home DIR [--port 0] [--page-cache-mb 512] [--parent-pid PID]
 * </pre>
 *
 * The database lives in {@code DIR} (lawgraph passes {@code $LAWGRAPH_HOME/neo4j}). Port 0 asks the
 * system for a free one. When Bolt listens, {@code DIR/ready.json} is written atomically with the bolt
 * URI, the process id and the Neo4j version, and the same URI is printed on stdout. The password of the
 * {@code neo4j} user comes from the environment variable {@code LAWGRAPH_NEO4J_PASSWORD} (never from the
 * command line, which other local users can read); without it authentication is off. SIGTERM (or the
 * parent process, when {@code --parent-pid} is given, going away) shuts the database down cleanly and
 * removes {@code ready.json}.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Neo4j's own threads are not daemons: without an explicit exit a failed start would
            // leave a JVM that never listens.
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path home = null;
        int port = 0;
        long pageCacheMb = 512;
        long parentPid = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--home" -> home = Path.of(v).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(v);
                case "--page-cache-mb" -> pageCacheMb = Long.parseLong(v);
                case "--parent-pid" -> parentPid = Long.parseLong(v);
                default -> usage("unknown option " + a);
            }
        }
        if (home == null) {
            usage("--home is required");
        }
        if (parentPid > 0) {
            // Watch the parent from the first moment, a slow start included.
            final long parent = parentPid;
            Thread watch = new Thread(() -> {
                while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.exit(0); // runs the shutdown hook
            }, "lawgraph-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        Files.createDirectories(home);
        Path ready = home.resolve("ready.json");
        Files.deleteIfExists(ready);
        String password = System.getenv("LAWGRAPH_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                // A local, single-user store: do not preallocate 250 MB transaction log files.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // the file is advisory: a stale one is detected by its dead pid
            }
            dbms.shutdown();
            stopped.countDown();
        }, "lawgraph-neo4j-shutdown"));

        if (auth) {
            // A new store's neo4j user has the default password and must change it; set ours once.
            // Later starts find it set (Neo4j refuses to "change" a password to itself).
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            boolean mustSet = system.executeTransactionally(
                    "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                            + "RETURN passwordChangeRequired",
                    Map.of(), r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")));
            if (mustSet) {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            }
        }
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        int boltPort = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        String uri = "bolt://127.0.0.1:" + boltPort;
        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        long pid = ProcessHandle.current().pid();
        String json = "{\"uri\": \"" + uri + "\", \"pid\": " + pid + ", \"version\": \"" + version
                + "\", \"auth\": " + auth + "}\n";
        Path tmp = home.resolve("ready.json.tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println(uri);
        System.out.flush();

        stopped.await();
    }

    private static void usage(String why) {
        System.err.println("neo4j-launcher: " + why);
        System.err.println("usage: Neo4jLauncher --home DIR [--port N] [--page-cache-mb N] [--parent-pid PID]");
        System.exit(2);
    }
}

package io.b24bridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The appliance's start-up configuration, as a typed tree. It holds what must be known before anything runs
 * (where the data lives, the listeners and their certificates). What the operators edit while it runs —
 * routes, templates, exceptions — lives in the settings store instead (package {@code settings}).
 *
 * @param source        the file it was read from
 * @param storage       where the Derby database and working files live
 * @param boxListener   HTTPS with mutual TLS: the Bitrix24 box (or the nginx in front of it) calls in here
 * @param adminListener HTTPS: the panel, the JSON API, {@code /health} and {@code /metrics}
 * @param shutdownGrace how long a stop waits for work in flight
 * @param bitrix24      the Bitrix24 box this appliance talks to; empty until configured
 * @param pbx           the Asterisk PBXs this appliance follows over AMI, in the file's order; empty = none yet
 * @param agi           the FastAGI listener the PBXs' dialplan asks for routing
 */
public record ApplianceConfig(Path source,
                              Storage storage,
                              Listener boxListener,
                              Listener adminListener,
                              Duration shutdownGrace,
                              Optional<Bitrix24> bitrix24,
                              List<Pbx> pbx,
                              Agi agi) {

    /** A configuration without the FastAGI listener's keys: its defaults. */
    public ApplianceConfig(Path source, Storage storage, Listener boxListener, Listener adminListener,
                           Duration shutdownGrace, Optional<Bitrix24> bitrix24, List<Pbx> pbx) {
        this(source, storage, boxListener, adminListener, shutdownGrace, bitrix24, pbx, Agi.DEFAULT);
    }

    /**
     * The FastAGI listener (plain TCP, as Asterisk speaks it): the dialplan asks it where an inbound call goes.
     * It runs only when a PBX is configured.
     *
     * @param host  address to bind: the one the PBXs reach (127.0.0.1 when Asterisk runs on this machine)
     * @param port  TCP port (Asterisk's FastAGI default 4573); 0 = no routing service
     * @param allow the addresses (or host names) whose connections are served; empty = the PBXs' hosts
     */
    public record Agi(String host, int port, List<String> allow) {

        public static final Agi DEFAULT = new Agi("127.0.0.1", 4573);

        public Agi {
            allow = List.copyOf(allow);
        }

        public Agi(String host, int port) {
            this(host, port, List.of());
        }

        public boolean enabled() {
            return port != 0;
        }
    }

    /** @param dir the folder of the Derby database, backups by default and working files */
    public record Storage(Path dir, Retention retention) {
        public Storage(Path dir) {
            this(dir, Retention.DEFAULTS);
        }

        public Path databaseDir() {
            return dir.resolve("db");
        }

        /** Where backups go unless told otherwise; the only folder whose old backups are removed. */
        public Path backupsDir() {
            return dir.resolve("backups");
        }
    }

    /**
     * How long finished things are kept (the daily {@code housekeeping} job removes older ones).
     *
     * @param doneCommands    commands the box took (the outbox's DONE rows)
     * @param finishedCalls   calls that ended and have nothing left to send; never less than a day beyond the longest
     *                        {@code pbx[].reconcile-lookback}, so reconciliation still knows every call it compares
     * @param settingsHistory earlier settings versions (the current ones always stay)
     * @param backups         backups in {@link Storage#backupsDir()}; the newest {@link #KEEP_BACKUPS} always stay
     * @param recordings      the PBX's recording files, once Bitrix24 took them (empty: never removed — the PBX's
     *                        own files, which its administrators may keep by other rules); shorter than
     *                        {@code doneCommands}, whose rows name them
     */
    public record Retention(Duration doneCommands, Duration finishedCalls, Duration settingsHistory,
                            Duration backups, Optional<Duration> recordings) {
        public static final int KEEP_BACKUPS = 3;
        public static final Retention DEFAULTS = new Retention(Duration.ofDays(30), Duration.ofDays(90),
                Duration.ofDays(365), Duration.ofDays(30), Optional.empty());
    }

    /**
     * One HTTPS listener.
     *
     * @param host      address to bind ({@code 0.0.0.0} for all)
     * @param port      TCP port; 0 picks a free one (tests)
     * @param tls       its certificate, and for mutual TLS the CAs whose client certificates it accepts
     * @param clientAuth whether a client certificate is demanded
     */
    public record Listener(String host, int port, Tls tls, ClientAuth clientAuth) {
    }

    /** Whether a listener demands a client certificate. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /**
     * TLS material in PKCS#12 files (the layout the {@code certs} tool writes).
     *
     * @param keystore           the listener's key and certificate chain
     * @param keystorePassword   its password
     * @param keyAlias           the key's alias; empty = the keystore's only key
     * @param truststore         CA certificates trusted for client certificates (empty = none)
     * @param truststorePassword its password
     */
    public record Tls(Path keystore, Secret keystorePassword, Optional<String> keyAlias,
                      Optional<Path> truststore, Optional<Secret> truststorePassword) {
    }

    /**
     * The Bitrix24 box.
     *
     * @param url            the box's base URL, e.g. {@code https://crm.corp.local} (its nginx, mutual TLS)
     * @param auth           how requests are authorised
     * @param application    local-application credentials (auth = application)
     * @param webhook        inbound-webhook credentials (auth = webhook)
     * @param module         the b24bridge module's credential (auth = module)
     * @param tls            the appliance's client key for the box and the CAs trusted for the box's certificate
     * @param connectTimeout TCP + TLS connect limit
     * @param requestTimeout whole-request limit
     * @param ratePerSecond  requests per second the client allows itself (the box may allow fewer: it backs off)
     * @param rateBurst      requests it may send at once after a quiet spell
     */
    public record Bitrix24(URI url, AuthMode auth, Optional<Application> application, Optional<Webhook> webhook,
                           Optional<Module> module, Tls tls, Duration connectTimeout, Duration requestTimeout,
                           double ratePerSecond, int rateBurst) {

        /** A box reached without the b24bridge module (application or webhook auth). */
        public Bitrix24(URI url, AuthMode auth, Optional<Application> application, Optional<Webhook> webhook,
                        Tls tls, Duration connectTimeout, Duration requestTimeout, double ratePerSecond,
                        int rateBurst) {
            this(url, auth, application, webhook, Optional.empty(), tls, connectTimeout, requestTimeout,
                    ratePerSecond, rateBurst);
        }
    }

    /** How the appliance proves itself to the box (contract §1). */
    public enum AuthMode {
        /**
         * the b24bridge module on the box issues the tokens (its credential) and queues the events the appliance
         * pulls: the mode of an air-gapped box (docs/box-module.md)
         */
        MODULE,
        /**
         * a local application: OAuth tokens from its install, renewed at Bitrix's OAuth server, events from Bitrix's
         * cloud queue: a box that reaches the internet
         */
        APPLICATION,
        /** an inbound webhook: a secret in the URL path; no events, no application context */
        WEBHOOK
    }

    /**
     * @param clientId      the local application's client_id ({@code local.…})
     * @param clientSecret  its client_secret
     * @param tokenEndpoint where tokens are renewed; empty: the OAuth server the install event named
     *                      ({@code auth[server_endpoint]}), else {@link #DEFAULT_TOKEN_ENDPOINT} — a box serves none
     */
    public record Application(String clientId, Secret clientSecret, Optional<URI> tokenEndpoint,
                              Optional<URI> eventsUrl) {

        public Application(String clientId, Secret clientSecret, Optional<URI> tokenEndpoint) {
            this(clientId, clientSecret, tokenEndpoint, Optional.empty());
        }

        /** Bitrix's OAuth server as its docs name it (settings/oauth/index.md: "contact oauth.bitrix.info directly"). */
        public static final URI DEFAULT_TOKEN_ENDPOINT = URI.create("https://oauth.bitrix.info/oauth/token/");
    }

    /**
     * The b24bridge module on the box (docs/box-module.md).
     *
     * @param clientId      the local application the module registered ({@code local.b24bridge.connector})
     * @param credential    the credential the module showed once at its install
     * @param tokenEndpoint the module's token endpoint; default {@code <url>/bitrix/services/b24bridge.connector/token.php}
     * @param pullWait      how long one {@code b24bridge.events.pull} waits for an event (0–25 s; 0: short polls
     *                      every second, for a box whose REST operating-time limit is on)
     */
    public record Module(String clientId, Secret credential, URI tokenEndpoint, Duration pullWait) {

        public static final String CLIENT_ID = "local.b24bridge.connector";
        public static final String TOKEN_PATH = "/bitrix/services/b24bridge.connector/token.php";
        public static final Duration MAX_PULL_WAIT = Duration.ofSeconds(25);
    }

    /**
     * @param userId      the user the webhook acts as
     * @param secret      the webhook's secret (its URL path part)
     * @param eventsToken the authentication code of the outbound webhook that delivers events, which they carry
     *                    as {@code auth[application_token]}; without it events are refused in webhook mode
     */
    public record Webhook(int userId, Secret secret, Optional<Secret> eventsToken) {
    }

    /**
     * One Asterisk PBX, followed over its manager interface (AMI).
     *
     * @param id               short name, unique among the PBXs: it namespaces the PBX's Linkedids (a call's key is
     *                         {@code <id>:<Linkedid>}), so it must never change once calls were recorded
     * @param host             the PBX's address
     * @param port             its AMI port
     * @param username         the AMI user (manager.conf section), least privilege: see docs/configuration.md
     * @param secret           its secret
     * @param extensionPattern endpoint names that are phones; every other endpoint is a trunk
     * @param trunks           endpoint names that are trunks even when they look like extensions
     * @param recordingsDir    where this appliance reads the PBX's recording files (a mount); empty = not readable
     * @param reconnectMin     the first wait before reconnecting after the link dropped
     * @param reconnectMax     the longest wait between attempts (the wait doubles up to it)
     * @param pingInterval     how often the link is checked with a Ping; a dead link is noticed within two intervals
     * @param recordingsPbxDir the folder {@code recordingsDir} shows, as the PBX names it: a recording at
     *                         {@code <recordingsPbxDir>/2026/11/24/x.wav} is read at {@code <recordingsDir>/2026/11/24/x.wav}
     * @param cdrCsv           the PBX's own call records as cdr_csv writes them (Master.csv, as this appliance reads
     *                         it: a mount), with {@code newcdrcolumns} on; empty = not read
     * @param recordWait       how long a call that ended partly unseen (the link or the appliance was down during it)
     *                         waits for its row in the PBX's records before it is finished with what was seen
     * @param cdrSql           the PBX's own call records in SQL (FreePBX: {@code asteriskcdrdb.cdr}); empty = not read
     * @param reconcileEvery   how often the PBX's records are compared with what reached the CRM (besides once after
     *                         every start and AMI reconnect)
     * @param reconcileLookback how far back each comparison looks
     */
    public record Pbx(String id, String host, int port, String username, Secret secret, Pattern extensionPattern,
                      Set<String> trunks, Optional<Path> recordingsDir, Duration reconnectMin, Duration reconnectMax,
                      Duration pingInterval, Path recordingsPbxDir, Optional<Path> cdrCsv, Duration recordWait,
                      Optional<CdrSql> cdrSql, Duration reconcileEvery, Duration reconcileLookback) {

        /** Whether the PBX's own call records are read (Master.csv or the SQL table). */
        public boolean readsRecords() {
            return cdrCsv.isPresent() || cdrSql.isPresent();
        }
    }

    /**
     * A PBX's call records in an SQL database, as FreePBX keeps them (the {@code cdr} table of
     * {@code asteriskcdrdb}, MariaDB), read with a read-only user.
     *
     * @param url      the JDBC URL ({@code jdbc:mariadb://pbx.corp.local:3306/asteriskcdrdb})
     * @param username the database user (SELECT on the table is enough)
     * @param password its password
     * @param table    the table ({@code cdr})
     * @param timeZone the zone the PBX writes {@code calldate} in (its own local time)
     */
    public record CdrSql(String url, String username, Secret password, String table, ZoneId timeZone) {
    }
}

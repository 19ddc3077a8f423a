package io.b24bridge.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Loads {@link ApplianceConfig} from a YAML file plus environment-variable overrides.
 *
 * <p>An override is an environment variable {@code B24BRIDGE_<KEY>}: the key upper-cased, dots as {@code _},
 * dashes as {@code __}. {@code B24BRIDGE_LISTENERS_ADMIN_PORT=9444} sets {@code listeners.admin.port};
 * {@code B24BRIDGE_LISTENERS_BOX_KEYSTORE__PASSWORD__FILE} sets {@code listeners.box.keystore-password-file}.
 * Overrides win over the file. Any key nobody knows — in the file or the environment — stops the start.
 */
public final class ConfigLoader {

    /** The prefix of environment variables that override configuration keys. */
    public static final String ENV_PREFIX = "B24BRIDGE_";

    private ConfigLoader() {
    }

    public static ApplianceConfig load(Path file, Map<String, String> environment) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file '" + file + "' does not exist");
        }
        Path absolute = file.toAbsolutePath().normalize();
        Map<String, String> overrides = new HashMap<>();
        Map<String, String> envNameOfKey = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = keyOfEnvironmentVariable(name);
                overrides.put(key, value);
                envNameOfKey.put(key, name);
            }
        });
        Config root;
        try {
            root = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .disableValueResolving()
                    .disableKeyResolving()
                    .sources(ConfigSources.create(overrides).name("environment"),
                            ConfigSources.file(absolute))
                    .build();
            root.traverse().count(); // parse now, so a YAML syntax error surfaces here
        } catch (io.helidon.config.ConfigException e) { // Helidon's, named in full beside ours
            throw new ConfigException("configuration file '" + absolute + "' cannot be read: "
                    + rootCause(e), e);
        }
        ConfigReader.ConfigOrigin origin = key -> envNameOfKey.containsKey(key)
                ? "(from environment variable " + envNameOfKey.get(key) + ") "
                : "(in " + absolute + ") ";
        ConfigReader reader = ConfigReader.root(root, absolute.getParent(), origin);
        ApplianceConfig config = read(reader, absolute);
        reader.requireAllKeysKnown();
        return config;
    }

    /** {@code B24BRIDGE_LISTENERS_BOX_KEY__ALIAS} → {@code listeners.box.key-alias}. */
    static String keyOfEnvironmentVariable(String name) {
        return name.substring(ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace("__", "-")
                .replace('_', '.');
    }

    /** {@code storage.retention}: how long finished things are kept; each at least a day. */
    private static ApplianceConfig.Retention retention(ConfigReader r) {
        ApplianceConfig.Retention d = ApplianceConfig.Retention.DEFAULTS;
        ApplianceConfig.Retention retention = new ApplianceConfig.Retention(
                r.duration("done-commands", d.doneCommands()), r.duration("finished-calls", d.finishedCalls()),
                r.duration("settings-history", d.settingsHistory()), r.duration("backups", d.backups()),
                r.exists("recordings") ? Optional.of(r.duration("recordings", Duration.ZERO)) : Optional.empty());
        for (String key : List.of("done-commands", "finished-calls", "settings-history", "backups", "recordings")) {
            if (r.duration(key, Duration.ofDays(1)).compareTo(Duration.ofDays(1)) < 0) {
                throw r.fail("storage.retention." + key, "must be at least 1d");
            }
        }
        if (retention.recordings().filter(k -> k.compareTo(retention.doneCommands()) >= 0).isPresent()) {
            throw r.fail("storage.retention.recordings", "must be shorter than storage.retention.done-commands ("
                    + retention.doneCommands().toDays() + "d): a recording is known to be in Bitrix24 by its done "
                    + "command, removed after that long");
        }
        return retention;
    }

    private static ApplianceConfig read(ConfigReader r, Path source) {
        ApplianceConfig.Storage storage = new ApplianceConfig.Storage(r.child("storage").path("dir", "data"),
                retention(r.child("storage").child("retention")));
        ConfigReader listeners = r.child("listeners");
        if (!r.exists("listeners")) {
            throw r.fail("listeners", "is required (listeners.box and listeners.admin)");
        }
        ApplianceConfig.Listener box = listener(listeners.child("box"), "0.0.0.0", 8443,
                ApplianceConfig.ClientAuth.REQUIRED);
        if (box.clientAuth() != ApplianceConfig.ClientAuth.REQUIRED) {
            throw listeners.fail("listeners.box.client-auth", "must be 'required': the box listener is mutual TLS");
        }
        ApplianceConfig.Listener admin = listener(listeners.child("admin"), "127.0.0.1", 9443,
                ApplianceConfig.ClientAuth.NONE);
        Duration grace = r.child("shutdown").duration("grace", Duration.ofSeconds(10));
        Optional<ApplianceConfig.Bitrix24> bitrix24 = r.exists("bitrix24")
                ? Optional.of(bitrix24(r.child("bitrix24"))) : Optional.empty();
        List<ApplianceConfig.Pbx> pbx = pbxList(r);
        ConfigReader agi = r.child("agi");
        ApplianceConfig.Agi agiListener = new ApplianceConfig.Agi(agi.string("host", ApplianceConfig.Agi.DEFAULT.host()),
                agi.integer("port", ApplianceConfig.Agi.DEFAULT.port(), 0, 65535), List.copyOf(names(agi, "allow")));
        Duration lookback = pbx.stream().map(ApplianceConfig.Pbx::reconcileLookback).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        if (storage.retention().finishedCalls().compareTo(lookback.plusDays(1)) < 0) {
            throw r.fail("storage.retention.finished-calls", "must be at least a day longer than "
                    + "the longest pbx[].reconcile-lookback (" + lookback.toDays() + "d): reconciliation must still "
                    + "know every call it compares, or it would send one again");
        }
        return new ApplianceConfig(source, storage, box, admin, grace, bitrix24, pbx, agiListener);
    }

    /** A PBX id namespaces Linkedids in call keys ({@code <id>:<Linkedid>}): short, no colon, no spaces. */
    private static final Pattern PBX_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private static List<ApplianceConfig.Pbx> pbxList(ConfigReader r) {
        List<ApplianceConfig.Pbx> list = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (ConfigReader p : r.list("pbx")) {
            ApplianceConfig.Pbx pbx = pbx(p);
            if (!ids.add(pbx.id().toLowerCase(Locale.ROOT))) {
                throw p.fail(p.key("id"), "'" + pbx.id() + "' is used by another PBX: ids must be unique");
            }
            list.add(pbx);
        }
        return List.copyOf(list);
    }

    private static ApplianceConfig.Pbx pbx(ConfigReader r) {
        String id = r.requiredString("id");
        if (!PBX_ID.matcher(id).matches()) {
            throw r.fail(r.key("id"), "'" + id + "' must be 1-16 letters, digits, '-' or '_' (it prefixes call ids)");
        }
        String host = r.requiredString("host");
        int port = r.integer("port", 5038, 1, 65535);
        String username = r.requiredString("username");
        Secret secret = r.requiredSecret("secret");
        String rawPattern = r.string("extension-pattern", "[0-9]{2,6}");
        Pattern extensions;
        try {
            extensions = Pattern.compile(rawPattern);
        } catch (PatternSyntaxException e) {
            throw r.fail(r.key("extension-pattern"), "'" + rawPattern + "' is not a regular expression: "
                    + e.getDescription());
        }
        Set<String> trunks = names(r, "trunks");
        Optional<Path> recordings = r.optionalPath("recordings-dir");
        String pbxDir = r.string("recordings-pbx-dir", "/var/spool/asterisk/monitor");
        if (!pbxDir.startsWith("/")) {
            throw r.fail(r.key("recordings-pbx-dir"), "must be an absolute path as the PBX names it");
        }
        Duration min = r.duration("reconnect-min", Duration.ofSeconds(1));
        Duration max = r.duration("reconnect-max", Duration.ofSeconds(30));
        Duration ping = r.duration("ping-interval", Duration.ofSeconds(10));
        if (min.compareTo(Duration.ofMillis(100)) < 0) {
            throw r.fail(r.key("reconnect-min"), "must be at least 100ms");
        }
        if (max.compareTo(min) < 0) {
            throw r.fail(r.key("reconnect-max"), "must not be shorter than reconnect-min (" + min + ")");
        }
        if (ping.compareTo(Duration.ofSeconds(1)) < 0 || ping.compareTo(Duration.ofMinutes(5)) > 0) {
            throw r.fail(r.key("ping-interval"), "must be between 1s and 5m");
        }
        Optional<Path> cdrCsv = r.optionalPath("cdr-csv");
        Duration recordWait = r.duration("record-wait", Duration.ofSeconds(30));
        if (recordWait.compareTo(Duration.ofSeconds(1)) < 0 || recordWait.compareTo(Duration.ofHours(1)) > 0) {
            throw r.fail(r.key("record-wait"), "must be between 1s and 1h");
        }
        Optional<ApplianceConfig.CdrSql> cdrSql = r.exists("cdr-sql") ? Optional.of(cdrSql(r.child("cdr-sql")))
                : Optional.empty();
        if (cdrCsv.isPresent() && cdrSql.isPresent()) {
            throw r.fail(r.key("cdr-sql"), "and cdr-csv name two sources of the same records: keep one");
        }
        Duration every = r.duration("reconcile-every", Duration.ofMinutes(10));
        if (every.compareTo(Duration.ofSeconds(5)) < 0 || every.compareTo(Duration.ofDays(1)) > 0) {
            throw r.fail(r.key("reconcile-every"), "must be between 5s and 1d");
        }
        Duration lookback = r.duration("reconcile-lookback", Duration.ofDays(1));
        if (lookback.compareTo(Duration.ofMinutes(10)) < 0 || lookback.compareTo(Duration.ofDays(7)) > 0) {
            throw r.fail(r.key("reconcile-lookback"), "must be between 10m and 7d");
        }
        return new ApplianceConfig.Pbx(id, host, port, username, secret, extensions, Set.copyOf(trunks), recordings,
                min, max, ping, Path.of(pbxDir), cdrCsv, recordWait, cdrSql, every, lookback);
    }

    /** A table name goes into the SQL text: letters, digits and _, optionally after a schema and a dot. */
    private static final Pattern SQL_TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,63}\\.)?[A-Za-z_][A-Za-z0-9_]{0,63}");

    private static ApplianceConfig.CdrSql cdrSql(ConfigReader r) {
        String url = r.requiredString("url");
        if (!url.startsWith("jdbc:mariadb://") && !url.startsWith("jdbc:mysql://")) {
            throw r.fail(r.key("url"), "'" + url + "' must be a MariaDB JDBC URL: jdbc:mariadb://host:3306/asteriskcdrdb");
        }
        String table = r.string("table", "cdr");
        if (!SQL_TABLE.matcher(table).matches()) {
            throw r.fail(r.key("table"), "'" + table + "' must be a table name (letters, digits, _)");
        }
        String zone = r.string("time-zone", ZoneId.systemDefault().getId());
        ZoneId tz;
        try {
            tz = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw r.fail(r.key("time-zone"), "'" + zone + "' is not a time zone (e.g. Europe/Moscow)");
        }
        return new ApplianceConfig.CdrSql(url, r.requiredString("username"), r.requiredSecret("password"), table, tz);
    }

    /** A YAML list, or one comma-separated value (handier in an environment variable). */
    private static Set<String> names(ConfigReader r, String key) {
        Set<String> out = new LinkedHashSet<>();
        if (r.exists(key + ".0")) {
            for (int i = 0; r.exists(key + "." + i); i++) {
                out.add(r.requiredString(key + "." + i));
            }
        } else {
            for (String t : r.string(key, "").split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }

    private static ApplianceConfig.Listener listener(ConfigReader r, String defaultHost, int defaultPort,
                                                     ApplianceConfig.ClientAuth defaultAuth) {
        String host = r.string("host", defaultHost);
        int port = r.integer("port", defaultPort, 0, 65535);
        ApplianceConfig.ClientAuth auth = r.enumValue("client-auth", ApplianceConfig.ClientAuth.class, defaultAuth);
        Path keystore = r.existingFile("keystore");
        Secret keystorePassword = r.requiredSecret("keystore-password");
        Optional<String> alias = r.optionalString("key-alias").filter(s -> !s.isEmpty());
        Optional<Path> truststore = r.exists("truststore") ? Optional.of(r.existingFile("truststore")) : Optional.empty();
        Optional<Secret> truststorePassword = r.optionalSecret("truststore-password");
        if (auth != ApplianceConfig.ClientAuth.NONE && truststore.isEmpty()) {
            throw r.fail(r.key("truststore"), "is required when client certificates are checked (client-auth: "
                    + auth.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (truststore.isPresent() && truststorePassword.isEmpty()) {
            truststorePassword = Optional.of(keystorePassword);
        }
        return new ApplianceConfig.Listener(host, port,
                new ApplianceConfig.Tls(keystore, keystorePassword, alias, truststore, truststorePassword), auth);
    }

    private static ApplianceConfig.Bitrix24 bitrix24(ConfigReader r) {
        URI url = httpsUrl(r, "url");
        ApplianceConfig.AuthMode mode = r.enumValue("auth", ApplianceConfig.AuthMode.class, impliedMode(r));
        Optional<ApplianceConfig.Application> application = Optional.empty();
        if (r.exists("application") || mode == ApplianceConfig.AuthMode.APPLICATION) {
            if (!r.exists("application")) {
                throw r.fail(r.key("application"), "is required with auth: application (client-id, client-secret-file)");
            }
            ConfigReader a = r.child("application");
            // a box serves no /oauth/token/: renewal goes to the OAuth server the install event names
            Optional<URI> tokenEndpoint = a.exists("token-endpoint") ? Optional.of(httpsUrl(a, "token-endpoint"))
                    : Optional.empty();
            // where Bitrix's cloud queue reaches /bitrix24/events (the edge proxy): OnExternalCallStart is bound there
            Optional<URI> eventsUrl = a.exists("events-url") ? Optional.of(httpsUrl(a, "events-url"))
                    : Optional.empty();
            application = Optional.of(new ApplianceConfig.Application(a.requiredString("client-id"),
                    a.requiredSecret("client-secret"), tokenEndpoint, eventsUrl));
        }
        Optional<ApplianceConfig.Webhook> webhook = Optional.empty();
        if (r.exists("webhook") || mode == ApplianceConfig.AuthMode.WEBHOOK) {
            if (!r.exists("webhook")) {
                throw r.fail(r.key("webhook"), "is required with auth: webhook (user-id, secret-file)");
            }
            ConfigReader w = r.child("webhook");
            int userId = w.integer("user-id", -1, -1, Integer.MAX_VALUE);
            webhook = Optional.of(new ApplianceConfig.Webhook(userId, w.requiredSecret("secret"),
                    w.optionalSecret("events-token")));
            if (userId < 1) {
                throw w.fail(w.key("user-id"), "is required");
            }
        }
        Optional<ApplianceConfig.Module> module = Optional.empty();
        if (r.exists("module") || mode == ApplianceConfig.AuthMode.MODULE) {
            if (!r.exists("module")) {
                throw r.fail(r.key("module"), "is required with auth: module (credential-file: the credential the "
                        + "b24bridge module showed at its install)");
            }
            ConfigReader m = r.child("module");
            URI tokenEndpoint = m.exists("token-endpoint") ? httpsUrl(m, "token-endpoint")
                    : URI.create(url + ApplianceConfig.Module.TOKEN_PATH);
            Duration pullWait = m.duration("pull-wait", ApplianceConfig.Module.MAX_PULL_WAIT);
            if (pullWait.isNegative() || pullWait.compareTo(ApplianceConfig.Module.MAX_PULL_WAIT) > 0) {
                throw m.fail(m.key("pull-wait"), "must be between 0s and 25s (the module waits at most 25 s)");
            }
            module = Optional.of(new ApplianceConfig.Module(m.string("client-id", ApplianceConfig.Module.CLIENT_ID),
                    m.requiredSecret("credential"), tokenEndpoint, pullWait));
        }
        ConfigReader t = r.child("tls");
        if (!r.exists("tls")) {
            throw r.fail(r.key("tls"), "is required: the client keystore presented to the box and the truststore for its certificate");
        }
        ApplianceConfig.Tls tls = new ApplianceConfig.Tls(t.existingFile("keystore"), t.requiredSecret("keystore-password"),
                t.optionalString("key-alias").filter(s -> !s.isEmpty()),
                Optional.of(t.existingFile("truststore")), t.optionalSecret("truststore-password"));
        Duration connect = r.duration("connect-timeout", Duration.ofSeconds(3));
        Duration request = r.duration("request-timeout", Duration.ofSeconds(15));
        ConfigReader rate = r.child("rate-limit");
        // a box's limits are its administrator's (often off); the client follows QUERY_LIMIT_EXCEEDED down
        int perSecond = rate.integer("per-second", 50, 1, 10_000);
        int burst = rate.integer("burst", 100, 1, 10_000);
        return new ApplianceConfig.Bitrix24(url, mode, application, webhook, module, tls, connect, request, perSecond,
                burst);
    }

    /**
     * The auth mode when {@code auth} is not given: the one whose section is there — {@code module} first, the mode
     * of an air-gapped box; none of them: {@code module}, whose missing section then says what to add.
     */
    private static ApplianceConfig.AuthMode impliedMode(ConfigReader r) {
        if (r.exists("module")) {
            return ApplianceConfig.AuthMode.MODULE;
        }
        if (r.exists("application")) {
            return ApplianceConfig.AuthMode.APPLICATION;
        }
        return r.exists("webhook") ? ApplianceConfig.AuthMode.WEBHOOK : ApplianceConfig.AuthMode.MODULE;
    }

    private static URI httpsUrl(ConfigReader r, String key) {
        String raw = r.requiredString(key);
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw r.fail(r.key(key), "'" + raw + "' must be an https:// address (the box is reached over mutual TLS)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw r.fail(r.key(key), "'" + raw + "' is not a valid URL");
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}

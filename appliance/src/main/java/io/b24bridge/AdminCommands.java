package io.b24bridge;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import io.b24bridge.access.AccessException;
import io.b24bridge.access.Accounts;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.FirstRun;
import io.b24bridge.access.Identity;
import io.b24bridge.access.Role;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseLockedException;
import io.b24bridge.store.Migrations;
import io.b24bridge.store.StoreException;
import io.b24bridge.web.LocalAdmin;

/**
 * {@code b24bridge admin create|password}: accounts of the admin listener, made on the appliance's machine. When the
 * appliance runs they go through its admin API, presenting the local tools' credential (root and the service's user
 * read it); when it is stopped the database is opened here. Either way the change is in the audit log. The password
 * is asked twice on the terminal, or read from {@code --password-file} (first line; {@code -}: standard input).
 */
final class AdminCommands {

    private AdminCommands() {
    }

    static int run(ApplianceConfig config, Cli.AdminArgs args, InputStream stdin, PrintStream out) {
        char[] password = password(args, stdin);
        try {
            String done;
            try {
                done = offline(config, args, password);
            } catch (DatabaseLockedException running) {
                done = online(config, args, password);
            }
            out.println(done);
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static String offline(ApplianceConfig config, Cli.AdminArgs args, char[] password) {
        Database db = Database.open(config.storage().databaseDir());
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            Accounts accounts = new Accounts(db);
            AuditLog audit = new AuditLog(db, Json.newMapper());
            String actor = "command-line:" + System.getProperty("user.name", "?");
            try {
                if (args.create()) {
                    Role role = Role.of(args.role()).orElseThrow();
                    accounts.create(args.name(), role, password);
                    audit.record(actor, Identity.Via.COMMAND_LINE, null, "account.create", args.name(),
                            AuditLog.Outcome.OK, Map.of("role", role.key(), "password", true));
                    new FirstRun(config.storage().dir().resolve("keys"), accounts).forget();
                    return "account '" + args.name() + "' (" + role.key() + ") made";
                }
                accounts.setPassword(args.name(), password);
                audit.record(actor, Identity.Via.COMMAND_LINE, null, "account.change", args.name(),
                        AuditLog.Outcome.OK, Map.of("password", "changed"));
                return "the password of '" + args.name() + "' is set";
            } catch (AccessException e) {
                throw new StoreException(e.getMessage(), e);
            }
        } finally {
            db.close();
        }
    }

    private static String online(ApplianceConfig config, Cli.AdminArgs args, char[] password) {
        if (!LocalAdmin.hasCredential(config)) {
            throw new StoreException("the appliance runs, and this user cannot read its local tools' credential in "
                    + config.storage().dir().resolve("keys") + ": run this as root or as the service's user");
        }
        ObjectMapper mapper = Json.newMapper();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password", new String(password));
        String path;
        Method method;
        if (args.create()) {
            body.put("name", args.name());
            body.put("role", args.role());
            path = "/api/accounts";
            method = Method.POST;
        } else {
            path = "/api/accounts/" + args.name();
            method = Method.PUT;
        }
        WebClient client = LocalAdmin.client(config, Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (HttpClientResponse res = client.method(method).path(path)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(mapper.writeValueAsBytes(body))) {
            JsonNode answer = mapper.readTree(res.entity().as(byte[].class));
            if (res.status() != Status.OK_200 && res.status() != Status.CREATED_201) {
                throw new StoreException("the running appliance refused: " + answer.path("error").asText());
            }
            return args.create() ? "account '" + args.name() + "' (" + args.role() + ") made"
                    : "the password of '" + args.name() + "' is set; its sessions were closed";
        } catch (IOException e) {
            throw new StoreException("the running appliance answered unreadably: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("the database is in use, but the appliance's admin listener at "
                    + LocalAdmin.url(config.adminListener()) + " does not answer: " + e.getMessage(), e);
        }
    }

    /** The password: from the file, from standard input, or asked twice on the terminal. */
    static char[] password(Cli.AdminArgs args, InputStream stdin) {
        if (args.passwordFile().isPresent()) {
            Path f = args.passwordFile().get();
            try {
                String line = f.toString().equals("-")
                        ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine()
                        : Files.readAllLines(f, StandardCharsets.UTF_8).stream().findFirst().orElse(null);
                if (line == null || line.isEmpty()) {
                    throw new StoreException("no password in " + f + " (its first line)");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new StoreException("the password file " + f + " cannot be read: " + e.getMessage(), e);
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new StoreException("no terminal to ask the password on: give --password-file FILE (or - for "
                    + "standard input)");
        }
        char[] first = console.readPassword("password for '%s': ", args.name());
        char[] again = console.readPassword("the same again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new StoreException("the two passwords differ: nothing was changed");
        }
        Arrays.fill(again, '\0');
        return first;
    }
}

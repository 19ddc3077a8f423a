package io.b24bridge.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** The text {@code bundle} prints to paste: the appliance's configuration and the box side's nginx. */
final class Snippets {

    private Snippets() {
    }

    /** The certificate keys of {@code b24bridge.yaml}, with files as the appliance will find them in {@code at}. */
    static String applianceConfig(Path at, boolean server, boolean client) {
        String ks = at.resolve("appliance-server.p12").toString();
        String pass = at.resolve("store.pass").toString();
        String trust = at.resolve("trust.p12").toString();
        StringBuilder sb = new StringBuilder();
        sb.append("# b24bridge.yaml: the certificate keys (the other keys of these sections stay as they are)\n");
        if (server) {
            sb.append("""
                    listeners:
                      box:
                        keystore: %1$s
                        keystore-password-file: %2$s
                        truststore: %3$s        # CAs of the box side's client certificate
                        client-auth: required
                      admin:
                        keystore: %1$s
                        keystore-password-file: %2$s
                    """.formatted(ks, pass, trust));
        }
        if (client) {
            sb.append("""
                    bitrix24:
                      tls:
                        keystore: %s
                        keystore-password-file: %s
                        truststore: %s        # CAs of the box's (nginx's) server certificate
                    """.formatted(at.resolve("appliance-client.p12"), pass, trust));
        }
        return sb.toString();
    }

    /**
     * The box side's nginx: the port the appliance calls (checks the appliance's client certificate), and — for a box
     * that reaches the internet — the edge proxy where Bitrix's cloud queue delivers events (presents the box-side
     * client certificate to the appliance, checks the appliance's server certificate and host name). An air-gapped box
     * has no such proxy: its events go through the b24bridge module, which the appliance pulls.
     */
    static String nginx(Optional<X509Certificate> server, Optional<X509Certificate> client) {
        String applianceHost = server.map(SubjectAltNames::of).filter(n -> !n.isEmpty())
                .map(n -> n.all().getFirst()).orElse("b24bridge.corp.example");
        String clientDn = client.map(Names::subject).orElse("CN=b24bridge appliance client");
        return """
                # nginx on the Bitrix24 box. Copy the files of nginx/ to /etc/nginx/tls/ on the box.

                # 1. appliance -> box (REST): a port of its own that admits only the appliance's client certificate.
                #    With the b24bridge box module, use the server block of docs/box-module.md instead (it also passes
                #    the module's token endpoint and the verified certificate on to PHP).
                server {
                    listen 8444 ssl;                       # bitrix24.url: https://crm.corp.example:8444
                    server_name crm.corp.example;
                    ssl_certificate        /etc/nginx/tls/crm.corp.example.chain.pem;  # the box: serverAuth, SAN crm.corp.example
                    ssl_certificate_key    /etc/nginx/tls/crm.corp.example.key;
                    ssl_client_certificate /etc/nginx/tls/appliance-client-ca.pem;     # from nginx/
                    ssl_verify_client      on;
                    ssl_verify_depth       2;
                    ssl_protocols          TLSv1.2 TLSv1.3;
                    client_max_body_size   64m;            # recordings travel base64-encoded
                    # the CA may sign other clients too: only the appliance's certificate gets through
                    if ($ssl_client_s_dn != "%2$s") { return 403; }
                    location /rest/        { proxy_pass http://127.0.0.1:8080; proxy_set_header Host crm.corp.example; }
                    location /             { return 403; }
                }

                # 2. events, only for a box that reaches the internet: Bitrix's cloud queue (not the box) POSTs them
                #    from the internet, without a client certificate. An edge proxy at your perimeter takes them and
                #    adds the box-side client certificate towards the appliance. (An air-gapped box: the b24bridge
                #    module keeps its events, the appliance pulls them; no proxy.)
                server {
                    listen 443 ssl;                        # the application's handler URL
                    server_name b24events.example.com;
                    ssl_certificate     /etc/nginx/tls/b24events.example.com.chain.pem;  # a public CA's
                    ssl_certificate_key /etc/nginx/tls/b24events.example.com.key;
                    location = /bitrix24/events {
                        limit_except POST { deny all; }
                        client_max_body_size          256k;
                        proxy_pass                    https://%1$s:8443/bitrix24/events;
                        proxy_ssl_certificate         /etc/nginx/tls/box-client.chain.pem;  # clientAuth, from a CA in trust.p12
                        proxy_ssl_certificate_key     /etc/nginx/tls/box-client.key;
                        # proxy_ssl_password_file     /etc/nginx/tls/box-client.pass;      # if that key is encrypted
                        proxy_ssl_trusted_certificate /etc/nginx/tls/appliance-server-ca.pem;  # from nginx/
                        proxy_ssl_verify              on;
                        proxy_ssl_verify_depth        2;
                        proxy_ssl_name                %1$s;
                        proxy_ssl_server_name         on;
                        proxy_ssl_protocols           TLSv1.2 TLSv1.3;
                    }
                    location / { return 404; }
                }
                """.formatted(applianceHost, clientDn);
    }
}

package io.b24bridge.bitrix.events;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /ping} on the box listener: answers who the caller's client certificate says it is. The security
 * team and the box's administrator use it to check the mutual-TLS path (nginx on the box → appliance)
 * before any event flows: {@code curl --cert box-client.pem --key … https://appliance:8443/ping}.
 */
public final class PingService implements HttpService {

    private final ObjectMapper mapper;

    public PingService(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ping", this::ping);
    }

    private void ping(ServerRequest req, ServerResponse res) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", "b24bridge box listener");
        Optional<Certificate[]> certs = req.remotePeer().tlsCertificates();
        body.put("clientCertificate", certs
                .filter(c -> c.length > 0 && c[0] instanceof X509Certificate)
                .map(c -> ((X509Certificate) c[0]).getSubjectX500Principal().getName())
                .orElse(null));
        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(mapper.writeValueAsBytes(body));
    }

}

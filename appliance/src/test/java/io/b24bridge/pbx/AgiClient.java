package io.b24bridge.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asterisk's side of one FastAGI request, as res_agi speaks it: the {@code agi_*} environment, a blank line,
 * then {@code 200 result=1} to every command the script sends until it closes. Records the variables set, and
 * how long the request took from connect to the script's end (what a caller waits in the dialplan).
 */
public final class AgiClient {

    private static final Pattern SET = Pattern.compile("SET VARIABLE \"?([^\" ]+)\"? \"(.*)\"");

    /** What the script answered and how long it took. */
    public record Answer(Map<String, String> variables, long nanos) {

        public String get(String name) {
            return variables.get(name);
        }
    }

    private AgiClient() {
    }

    /** Runs {@code agi://host:port/script,args…} for a call from {@code callerId} to {@code exten}. */
    public static Answer request(String host, int port, String script, String exten, String callerId,
                                 String... args) throws IOException {
        long t0 = System.nanoTime();
        Map<String, String> vars = new LinkedHashMap<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(15_000);
            s.setTcpNoDelay(true);
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder env = new StringBuilder()
                    .append("agi_network: yes\n")
                    .append("agi_network_script: ").append(script).append('\n')
                    .append("agi_request: agi://").append(host).append(':').append(port).append('/').append(script).append('\n')
                    .append("agi_channel: PJSIP/trunk-00000001\n")
                    .append("agi_language: en\n")
                    .append("agi_type: PJSIP\n")
                    .append("agi_uniqueid: 1700000000.1\n")
                    .append("agi_version: 22.0.0\n")
                    .append("agi_callerid: ").append(callerId).append('\n')
                    .append("agi_calleridname: unknown\n")
                    .append("agi_callingpres: 0\n")
                    .append("agi_callingani2: 0\n")
                    .append("agi_callington: 0\n")
                    .append("agi_callingtns: 0\n")
                    .append("agi_dnid: ").append(exten).append('\n')
                    .append("agi_rdnis: unknown\n")
                    .append("agi_context: b24bridge-route\n")
                    .append("agi_extension: ").append(exten).append('\n')
                    .append("agi_priority: 4\n")
                    .append("agi_enhanced: 0.0\n")
                    .append("agi_accountcode: \n")
                    .append("agi_threadid: 1\n");
            for (int i = 0; i < args.length; i++) {
                env.append("agi_arg_").append(i + 1).append(": ").append(args[i]).append('\n');
            }
            out.write(env.append('\n').toString());
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = SET.matcher(line);
                if (m.matches()) {
                    vars.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
                out.write("200 result=1\n");
                out.flush();
            }
        }
        return new Answer(vars, System.nanoTime() - t0);
    }
}

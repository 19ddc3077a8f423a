package io.b24bridge.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The subject alternative names of a certificate: DNS names and IP addresses. TLS clients check the host they
 * connected to against these (the common name is ignored by modern clients), so a server certificate needs them.
 * DNS names are kept in lower case, addresses in their canonical text form.
 */
public record SubjectAltNames(List<String> dnsNames, List<String> ipAddresses) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public SubjectAltNames {
        LinkedHashSet<String> dns = new LinkedHashSet<>();
        for (String d : dnsNames) {
            dns.add(checkDnsName(d));
        }
        LinkedHashSet<String> ips = new LinkedHashSet<>();
        for (String ip : ipAddresses) {
            ips.add(ipLiteral(ip).getHostAddress());
        }
        dnsNames = List.copyOf(dns);
        ipAddresses = List.copyOf(ips);
    }

    public static SubjectAltNames none() {
        return new SubjectAltNames(List.of(), List.of());
    }

    /** Sorts a mixed list: IP literals become IP addresses, the rest DNS names. */
    public static SubjectAltNames of(List<String> namesOrAddresses) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String s : namesOrAddresses) {
            (isIpLiteral(s) ? ips : dns).add(s);
        }
        return new SubjectAltNames(dns, ips);
    }

    /** The DNS names and IP addresses a certificate names (other kinds of names are left out). */
    public static SubjectAltNames of(X509Certificate cert) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    if (type == GeneralName.dNSName) {
                        dns.add(String.valueOf(n.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == GeneralName.iPAddress) {
                        ips.add(String.valueOf(n.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertsException("the alternative names of '" + cert.getSubjectX500Principal().getName()
                    + "' cannot be read: " + e.getMessage(), e);
        }
        // a name made elsewhere that breaks DNS syntax cannot match a host name we check anyway
        return new SubjectAltNames(dns.stream().filter(SubjectAltNames::isDnsName).toList(), ips);
    }

    /**
     * The names a CSR asks for. Kinds the tool does not issue (e-mail, URI, directory names) are refused rather
     * than silently dropped: the requester should know.
     */
    static SubjectAltNames requestedBy(Extensions requested) {
        if (requested == null || requested.getExtension(Extension.subjectAlternativeName) == null) {
            return none();
        }
        GeneralNames names = GeneralNames.getInstance(requested.getExtensionParsedValue(Extension.subjectAlternativeName));
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (GeneralName n : names.getNames()) {
            switch (n.getTagNo()) {
                case GeneralName.dNSName -> dns.add(((ASN1String) n.getName()).getString());
                case GeneralName.iPAddress -> {
                    try {
                        ips.add(InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets())
                                .getHostAddress());
                    } catch (UnknownHostException e) {
                        throw new CertsException("the CSR asks for a malformed IP address");
                    }
                }
                default -> throw new CertsException("the CSR asks for a kind of alternative name the tool does not"
                        + " issue (" + n + "): only DNS names and IP addresses");
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    /** Every name, DNS names first. */
    public List<String> all() {
        List<String> all = new ArrayList<>(dnsNames);
        all.addAll(ipAddresses);
        return all;
    }

    /** These names and {@code more}'s, without repeats. */
    public SubjectAltNames plus(SubjectAltNames more) {
        List<String> dns = new ArrayList<>(dnsNames);
        dns.addAll(more.dnsNames);
        List<String> ips = new ArrayList<>(ipAddresses);
        ips.addAll(more.ipAddresses);
        return new SubjectAltNames(dns, ips);
    }

    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /**
     * Whether a client connecting to {@code host} accepts a certificate with these names (RFC 6125): an IP
     * literal must equal an IP address; a DNS name must equal a DNS name or match a wildcard in its first label.
     */
    public boolean covers(String host) {
        String h = host.strip();
        if (isIpLiteral(h)) {
            InetAddress wanted = ipLiteral(h);
            for (String ip : ipAddresses) {
                if (isIpLiteral(ip) && ipLiteral(ip).equals(wanted)) {
                    return true;
                }
            }
            return false;
        }
        h = h.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String d : dnsNames) {
            if (d.equals(h)) {
                return true;
            }
            if (d.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(d.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        dnsNames.forEach(d -> parts.add("DNS:" + d));
        ipAddresses.forEach(ip -> parts.add("IP:" + ip));
        return parts.isEmpty() ? "(none)" : String.join(", ", parts);
    }

    /** An IPv4 dotted quad or anything with a colon (IPv6); never a host name, so never a DNS look-up. */
    public static boolean isIpLiteral(String s) {
        String t = s.strip();
        return IPV4.matcher(t).matches() || t.contains(":");
    }

    private static InetAddress ipLiteral(String s) {
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        var m = IPV4.matcher(t);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    throw new CertsException("'" + s + "' is not an IP address");
                }
            }
        } else if (!t.contains(":") || !t.matches("[0-9A-Fa-f:.]+")) {
            throw new CertsException("'" + s + "' is not an IP address");
        }
        try {
            // a literal is parsed, not looked up
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new CertsException("'" + s + "' is not an IP address");
        }
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static boolean isDnsName(String name) {
        String n = normalise(name);
        String rest = n.startsWith("*.") ? n.substring(2) : n;
        boolean ok = !rest.isEmpty() && n.length() <= 253;
        for (String label : rest.split("\\.", -1)) {
            ok &= LABEL.matcher(label).matches();
        }
        return ok;
    }

    private static String checkDnsName(String name) {
        String n = normalise(name);
        if (!isDnsName(n)) {
            throw new CertsException("'" + name + "' is not a DNS name (letters, digits, '-' and dots; a wildcard only"
                    + " as the whole first label, like *.corp.example; international names in their xn-- form)");
        }
        return n;
    }
}

package io.b24bridge.settings;

import java.util.List;

/**
 * Calls the appliance leaves alone: from or to these numbers, or through these extensions (fax lines,
 * door phones, the director's private line). Entries are numbers or dial patterns ({@code _8800XXXXXXX}).
 */
public record Exceptions(List<String> ignoreNumbers, List<String> ignoreExtensions) implements SectionValue {

    public static final Exceptions DEFAULT = new Exceptions(List.of(), List.of());

    public Exceptions {
        ignoreNumbers = ignoreNumbers == null ? List.of() : List.copyOf(ignoreNumbers);
        ignoreExtensions = ignoreExtensions == null ? List.of() : List.copyOf(ignoreExtensions);
    }

    /** Whether a client number is to be ignored. */
    public boolean ignoresNumber(String number) {
        return ignoreNumbers.stream().anyMatch(n -> DialPattern.of(n).matches(number));
    }

    /** Whether an extension is to be ignored. */
    public boolean ignoresExtension(String extension) {
        return ignoreExtensions.stream().anyMatch(n -> DialPattern.of(n).matches(extension));
    }

    @Override
    public void validate(Problems p) {
        p.maxItems("ignoreNumbers", ignoreNumbers, 1000);
        p.maxItems("ignoreExtensions", ignoreExtensions, 1000);
        for (int i = 0; i < ignoreNumbers.size(); i++) {
            if (p.required("ignoreNumbers[" + i + "]", ignoreNumbers.get(i))) {
                p.phoneOrPattern("ignoreNumbers[" + i + "]", ignoreNumbers.get(i));
            }
        }
        for (int i = 0; i < ignoreExtensions.size(); i++) {
            if (p.required("ignoreExtensions[" + i + "]", ignoreExtensions.get(i))) {
                p.extensionOrPattern("ignoreExtensions[" + i + "]", ignoreExtensions.get(i));
            }
        }
        p.unique("ignoreNumbers", "", ignoreNumbers);
        p.unique("ignoreExtensions", "", ignoreExtensions);
    }
}

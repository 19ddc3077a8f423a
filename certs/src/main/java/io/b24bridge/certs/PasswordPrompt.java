package io.b24bridge.certs;

/** Asks a person for a password. The command line never carries one: it shows in {@code ps} and shell history. */
@FunctionalInterface
public interface PasswordPrompt {

    /**
     * Asks {@code question} without echo; returns what was typed. Throws {@link CertsException} when there is
     * nobody to ask (no terminal).
     */
    char[] ask(String question);

    /** The terminal's prompt ({@link java.io.Console}); without a terminal it says to use a password file. */
    static PasswordPrompt console() {
        return question -> {
            java.io.Console c = System.console();
            if (c == null) {
                throw new CertsException("no terminal to ask for the password: give it in a file with"
                        + " --password-file FILE (or --ca-password-file FILE for the CA), first line, mode 0600");
            }
            char[] answer = c.readPassword("%s: ", question);
            if (answer == null) {
                throw new CertsException("no password entered");
            }
            return answer;
        };
    }
}

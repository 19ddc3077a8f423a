package io.b24bridge.access;

/**
 * Who a request on the admin listener comes from, once proven.
 *
 * @param name the account (or {@link #LOCAL_TOOLS} for the appliance's own commands on this machine)
 * @param role what it may do
 * @param via  how it proved itself
 */
public record Identity(String name, Role role, Via via) {

    /** The name the appliance's own tools (backup, doctor, the installer) act under. */
    public static final String LOCAL_TOOLS = "local-tools";

    /** How a request proved who it comes from. */
    public enum Via {
        /** a panel session (cookie), opened with the account's password */
        SESSION,
        /** an API token (Authorization: Bearer) */
        TOKEN,
        /** a client certificate from the admin CA whose subject is mapped to the account */
        CERTIFICATE,
        /** the local tools' certificate, made by the appliance and readable only by its user and root */
        LOCAL_TOOLS,
        /** a password, at login or first-run setup (audit entries only) */
        PASSWORD,
        /** a command run on this machine with the database in hand (audit entries only) */
        COMMAND_LINE,
        /** nobody proven: a refused attempt, an event from the box (audit entries only) */
        NONE
    }

    public boolean may(Role needed) {
        return role.covers(needed);
    }

    public static Identity localTools() {
        return new Identity(LOCAL_TOOLS, Role.ADMIN, Via.LOCAL_TOOLS);
    }
}

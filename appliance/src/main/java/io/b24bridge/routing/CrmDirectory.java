package io.b24bridge.routing;

import java.util.Optional;

/**
 * What routing needs to know from the CRM: who is responsible for a client's number, and a user's phones.
 * Implemented over Bitrix24 by an adapter ({@code bitrix.BitrixCrmDirectory}); every call may be slow or fail,
 * so routing only ever calls it off the PBX's path, bounded by its deadline.
 */
public interface CrmDirectory {

    /**
     * The CRM's owner of a client number: the entity it belongs to and the entity's responsible, by the
     * adapter's documented choice among several matches; empty when the CRM does not know the number.
     *
     * @param number      the client's number as the CRM writes numbers (E.164 by default)
     * @param mobileField the user field that holds a responsible's mobile
     */
    Optional<Owner> ownerOf(String number, String mobileField) throws Unavailable;

    /** A user's phones by Bitrix24 user id; empty for a user that does not exist or is not active. */
    Optional<Person> person(int userId, String mobileField) throws Unavailable;

    /**
     * A Bitrix24 user as routing rings them.
     *
     * @param extension their desk phone (the user's inner phone), or null
     * @param mobile    their mobile number, or null
     * @param workday   their workday status (OPENED, CLOSED, PAUSED, …), or null when not known
     */
    record Person(int userId, String extension, String mobile, String workday) {

        public boolean workdayClosed() {
            return "CLOSED".equalsIgnoreCase(workday);
        }
    }

    /** A client number's CRM entity (CONTACT, COMPANY, LEAD and its id) and its responsible. */
    record Owner(String entityType, int entityId, Person responsible) {
    }

    /** The CRM did not answer (the box is away, slow, refusing). */
    final class Unavailable extends Exception {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

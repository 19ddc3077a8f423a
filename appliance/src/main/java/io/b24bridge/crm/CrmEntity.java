package io.b24bridge.crm;

/**
 * The CRM entity a call is bound to, as register answered: its type (CONTACT, COMPANY, LEAD, DEAL) and id.
 * A rating that comes after the finish goes to its timeline; a missed call of a known client becomes a task bound
 * to it.
 *
 * @param createdByCall the call's own register created it (a lead for an unknown number): not a known client
 */
public record CrmEntity(String type, int id, boolean createdByCall) {

    public CrmEntity(String type, int id) {
        this(type, id, false);
    }
}

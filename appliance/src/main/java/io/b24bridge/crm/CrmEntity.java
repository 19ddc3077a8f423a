package io.b24bridge.crm;

/**
 * The CRM entity a call is bound to, as register answered: its type (CONTACT, COMPANY, LEAD, DEAL) and id.
 * A rating that comes after the finish goes to its timeline.
 */
public record CrmEntity(String type, int id) {
}

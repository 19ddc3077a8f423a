package io.b24bridge.tasks;

import java.time.Instant;
import java.util.Optional;

import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * The Bitrix24 box as missed-call tasks need it (tasks.task.*, the caller's CRM card, users). The {@code bitrix}
 * package implements it over REST; every failure says what the outbox does next.
 */
public interface TaskBox {

    /** The client as the CRM shows them: a name (contact's name, company's or lead's title) and responsible. */
    record Card(String name, Integer responsibleId) {
    }

    /** crm.{type}.get: the entity's name and responsible. */
    Card card(CrmEntity entity) throws Failure;

    /** The entity's page on the box, for {@code {entityLink}}. */
    String link(CrmEntity entity);

    /** The Bitrix24 user whose extension this is, if any. */
    Optional<Integer> userOfExtension(String extension) throws Failure;

    /** A user's name, for {@code {responsible}} (empty when unknown). */
    String userName(int userId) throws Failure;

    /**
     * tasks.task.add bound to the entity ({@code UF_CRM_TASK}, e.g. {@code C_12}).
     *
     * @return the task's id
     */
    int add(String title, String description, int responsibleId, Instant deadline, String binding) throws Failure;

    /** tasks.task.update of the title and description. */
    void update(int taskId, String title, String description) throws Failure;

    /** tasks.task.complete. */
    void complete(int taskId) throws Failure;

    /** Whether the task is completed already (tasks.task.get, status 5). */
    boolean completed(int taskId) throws Failure;

    /**
     * A task bound to {@code binding} whose description carries {@code mark}: the one an add whose answer was lost
     * made (tasks.task.list).
     */
    Optional<Integer> findMarked(String binding, String mark) throws Failure;
}

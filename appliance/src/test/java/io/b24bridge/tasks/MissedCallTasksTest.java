package io.b24bridge.tasks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.TaskTemplates;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window and the task's life, against a real Derby and a box that remembers what it was told: one task per
 * caller within the window, counted once per missed call, made once even when its answer was lost.
 */
class MissedCallTasksTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final CrmEntity CONTACT = new CrmEntity("CONTACT", 12);

    @TempDir
    Path dir;
    Database db;
    FakeBox box = new FakeBox();
    AtomicReference<Settings> settings = new AtomicReference<>();
    MissedCallTasks tasks;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        settings(TaskTemplates.ReturnedCall.COMPLETE);
        tasks = new MissedCallTasks(db, box, settings::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void settings(TaskTemplates.ReturnedCall onReturnedCall) {
        TaskTemplates tt = new TaskTemplates(List.of(new TaskTemplates.Template("missed-call", true,
                "{entityName}: {tries} missed", "{phone} tried {tries} times, first {firstTime}", 60,
                TaskTemplates.ResponsibleRule.CRM_RESPONSIBLE, null, null)), 30, onReturnedCall,
                new TaskTemplates.WorkingHours("00:00", "23:59", null, "UTC"));
        settings.set(new Settings(1, Map.of(Section.TASK_TEMPLATES, tt)));
    }

    private static CrmCommand.MissedCallTask missed(String linkedid, Instant at) {
        return new CrmCommand.MissedCallTask(new CallKey("pbx1", linkedid), "+79162000001", "4951000101", at, 12,
                null, 4, "101");
    }

    private void reached(String linkedid, Instant at) throws Failure {
        tasks.handle(new CrmCommand.CallerReached(new CallKey("pbx1", linkedid), "+79162000001", at, false), CONTACT);
    }

    @Test
    void threeMissesWithinTheWindowAreOneTaskThatSaysThree() throws Failure {
        tasks.handle(missed("1.1", T0), CONTACT);
        tasks.handle(missed("2.1", T0.plusSeconds(600)), CONTACT);
        tasks.handle(missed("3.1", T0.plusSeconds(1200)), CONTACT);

        assertEquals(1, box.tasks.size(), "one task");
        FakeBox.Task t = box.tasks.get(1);
        assertEquals("Sergey Kuznetsov: 3 missed", t.title);
        assertEquals(List.of("add", "update", "update"), box.calls);
        assertEquals(7, t.responsible, "the contact's responsible (the card), not the route's default");
        assertEquals("C_12", t.binding);
        assertEquals(Instant.parse("2026-12-02T11:00:00Z"), t.deadline, "60 working minutes after the first miss");
    }

    @Test
    void missesSentOutOfOrderAfterAnOutageKeepTheFirstMissAsTheTasksStart() throws Failure {
        tasks.handle(missed("2.1", T0.plusSeconds(600)), CONTACT);
        tasks.handle(missed("1.1", T0), CONTACT);
        FakeBox.Task t = box.tasks.get(1);
        assertEquals(1, box.tasks.size());
        assertTrue(t.description.contains("tried 2 times, first 02.12.2026 10:00"), t.description);
    }

    @Test
    void aMissAfterTheWindowStartsANewTask() throws Failure {
        tasks.handle(missed("1.1", T0), CONTACT);
        tasks.handle(missed("2.1", T0.plusSeconds(31 * 60)), CONTACT);
        assertEquals(2, box.tasks.size());
        assertEquals("Sergey Kuznetsov: 1 missed", box.tasks.get(2).title);
    }

    @Test
    void aRepeatedCommandCountsItsCallOnce() throws Failure {
        tasks.handle(missed("1.1", T0), CONTACT);
        tasks.handle(missed("2.1", T0.plusSeconds(60)), CONTACT);
        tasks.handle(missed("2.1", T0.plusSeconds(60)), CONTACT); // sent again after a crash
        assertEquals("Sergey Kuznetsov: 2 missed", box.tasks.get(1).title);
        assertEquals(1, box.tasks.size());
    }

    @Test
    void anAddWhoseAnswerWasLostIsFoundByItsMarkNotMadeTwice() throws Failure {
        box.loseNextAnswer = true;
        assertThrows(Failure.class, () -> tasks.handle(missed("1.1", T0), CONTACT));
        assertEquals(1, box.tasks.size(), "the box made it; the appliance did not hear");

        tasks.handle(missed("1.1", T0), CONTACT); // the outbox sends the command again
        assertEquals(1, box.tasks.size(), "found by its mark, not made twice");
        assertEquals(List.of("add", "find", "update"), box.calls);
    }

    @Test
    void unknownCallersAndCallsBoundToNothingGetNoTask() throws Failure {
        tasks.handle(missed("1.1", T0), new CrmEntity("LEAD", 5, true));
        tasks.handle(missed("2.1", T0), null);
        assertEquals(List.of(), box.calls);
    }

    @Test
    void aReachedCallerHasTheirTaskCompleted() throws Failure {
        tasks.handle(missed("1.1", T0), CONTACT);
        reached("2.1", T0.plusSeconds(300));
        assertTrue(box.tasks.get(1).completed);
        reached("2.1", T0.plusSeconds(300)); // a repeat completes nothing twice
        assertEquals(List.of("add", "get", "complete"), box.calls);
        tasks.handle(missed("3.1", T0.plusSeconds(400)), CONTACT);
        assertEquals(2, box.tasks.size(), "a miss after that is a new task");
    }

    @Test
    void aCallerReachedBeforeTheTaskCouldBeMadeGetsNone() throws Failure {
        // the box was away: the answered call's command is sent before the missed call's
        reached("2.1", T0.plusSeconds(300));
        tasks.handle(missed("1.1", T0), CONTACT);
        assertEquals(List.of(), box.calls);
    }

    @Test
    void aTaskDeletedByHandDoesNotHoldTheAnsweredCallsCommandsButTheBoxAwayDoes() throws Failure {
        tasks.handle(missed("1.1", T0), CONTACT);
        box.refuse = new Failure(Failure.Kind.RETRY_LATER, "UNREACHABLE", "the box is away", null);
        assertThrows(Failure.class, () -> reached("2.1", T0.plusSeconds(300)), "waits in the outbox");
        box.refuse = new Failure(Failure.Kind.REJECTED, "", "Task not found or not accessible", null);
        reached("2.1", T0.plusSeconds(300)); // done: no dead letter in front of the call's recording
        box.refuse = null;
        tasks.handle(missed("3.1", T0.plusSeconds(400)), CONTACT);
        assertEquals(2, box.tasks.size(), "the next miss makes a new task");
    }

    @Test
    void withAnnotateTheTaskSaysWhenTheCallerWasReachedAndStaysOpen() throws Failure {
        settings(TaskTemplates.ReturnedCall.ANNOTATE);
        tasks.handle(missed("1.1", T0), CONTACT);
        reached("2.1", T0.plusSeconds(300));
        FakeBox.Task t = box.tasks.get(1);
        assertTrue(t.description.contains("Reached 02.12.2026 10:05: the client called again and was answered."),
                t.description);
        assertTrue(!t.completed);
    }

    /** A box that keeps tasks as tasks.task.* would, and can lose one answer. */
    static final class FakeBox implements TaskBox {

        static final class Task {
            String title;
            String description;
            int responsible;
            Instant deadline;
            String binding;
            boolean completed;
        }

        final Map<Integer, Task> tasks = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        boolean loseNextAnswer;
        Failure refuse;

        @Override
        public Card card(CrmEntity entity) {
            return new Card("Sergey Kuznetsov", 7);
        }

        @Override
        public String link(CrmEntity entity) {
            return "https://box/crm/contact/details/" + entity.id() + "/";
        }

        @Override
        public Optional<Integer> userOfExtension(String extension) {
            return Optional.of(2);
        }

        @Override
        public String userName(int userId) {
            return "user " + userId;
        }

        @Override
        public int add(String title, String description, int responsibleId, Instant deadline, String binding)
                throws Failure {
            calls.add("add");
            Task t = new Task();
            t.title = title;
            t.description = description;
            t.responsible = responsibleId;
            t.deadline = deadline;
            t.binding = binding;
            int id = tasks.size() + 1;
            tasks.put(id, t);
            if (loseNextAnswer) {
                loseNextAnswer = false;
                throw new Failure(Failure.Kind.RETRY_LATER, "UNREACHABLE", "the answer was lost", null);
            }
            return id;
        }

        @Override
        public void update(int taskId, String title, String description) {
            calls.add("update");
            tasks.get(taskId).title = title;
            tasks.get(taskId).description = description;
        }

        @Override
        public void complete(int taskId) {
            calls.add("complete");
            tasks.get(taskId).completed = true;
        }

        @Override
        public boolean completed(int taskId) throws Failure {
            if (refuse != null) {
                throw refuse;
            }
            calls.add("get");
            return tasks.get(taskId).completed;
        }

        @Override
        public Optional<Integer> findMarked(String binding, String mark) {
            calls.add("find");
            return tasks.entrySet().stream().filter(e -> e.getValue().binding.equals(binding)
                    && e.getValue().description.contains(mark)).map(Map.Entry::getKey).findFirst();
        }
    }
}

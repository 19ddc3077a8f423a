package io.b24bridge.pbx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;

/**
 * Notices an AMI user that may not read call events. Asterisk accepts the login of a manager.conf user without
 * {@code read=call} (or {@code dialplan}) and then quietly leaves those events out: the link is up, the channel list
 * answers, and no call ever reaches the CRM (review F6c: a real call was lost that way while /health said UP).
 * So after each login, until an event of each class has come, the link's supervisor lists the channels now and
 * then; a channel that appeared since the login without one event of a class announcing it means that class is
 * withheld, and the link says so — in /health (pbx DOWN) and the log — until the user's rights are fixed.
 */
final class CallEventsWatch {

    /** The event classes the call model lives on. */
    static final List<String> NEEDED = List.of("call", "dialplan");

    private final Set<String> seenClasses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Set<String> atLogin = Set.of();
    private volatile String problem;
    private final AtomicBoolean checking = new AtomicBoolean();

    /** A new link is up with these channels in progress: nothing is known of its rights yet. */
    void linkUp(List<CoreShowChannelEvent> channels) {
        seenClasses.clear();
        atLogin = uniqueIds(channels);
        problem = null;
    }

    /** An event arrived (asterisk-java's dispatch thread): its classes are evidently readable. */
    void seen(ManagerEvent e) {
        if (e instanceof ResponseEvent || e.getPrivilege() == null || seenClasses.containsAll(NEEDED)) {
            return; // answers to our own actions come whatever the read rights
        }
        for (String c : e.getPrivilege().toLowerCase(Locale.ROOT).split(",")) {
            if (NEEDED.contains(c.strip()) && seenClasses.add(c.strip()) && seenClasses.containsAll(NEEDED)) {
                problem = null;
            }
        }
    }

    /** Whether the channels should be listed again to judge: some needed class has not shown itself yet. */
    boolean undecided() {
        return !seenClasses.containsAll(NEEDED);
    }

    /** Lists the PBX's channels (the link's CoreShowChannels). */
    interface ChannelList {
        List<CoreShowChannelEvent> now() throws Exception;
    }

    /**
     * While undecided, lists the channels once more and judges them, on a thread of its own (a PBX slow to answer
     * must not hold the link's pings up), one check at a time; {@code onProblem} hears of a problem once.
     */
    void check(ChannelList channels, String username, Consumer<String> onProblem) {
        if (!undecided() || !checking.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("ami-read-rights").start(() -> {
            try {
                String before = problem;
                String now = judge(channels.now(), username);
                if (now != null && before == null) {
                    onProblem.accept(now);
                }
            } catch (Exception e) {
                // the list could not be read now (the link is ending, the PBX is slow): judged next time
            } finally {
                checking.set(false);
            }
        });
    }

    /**
     * Judges a fresh channel list: a channel that appeared since the login while a class stayed silent means the
     * PBX withholds that class. Returns the problem, or null.
     */
    String judge(List<CoreShowChannelEvent> now, String username) {
        Set<String> fresh = uniqueIds(now);
        fresh.removeAll(atLogin);
        List<String> missing = new ArrayList<>();
        for (String c : NEEDED) {
            if (!seenClasses.contains(c)) {
                missing.add(c);
            }
        }
        if (fresh.isEmpty() || missing.isEmpty()) {
            return problem;
        }
        problem = "the PBX has new calls (" + fresh.size() + " channels since the login) but sends this appliance no "
                + String.join(" or ", missing) + " events: the AMI user '" + username + "' needs read="
                + String.join(",", NEEDED) + " in manager.conf (then 'manager reload'); until then calls do not "
                + "reach the CRM";
        return problem;
    }

    /** The problem found, or null. */
    String problem() {
        return problem;
    }

    private static Set<String> uniqueIds(List<CoreShowChannelEvent> channels) {
        Set<String> ids = new HashSet<>();
        for (CoreShowChannelEvent c : channels) {
            if (c.getUniqueid() != null) {
                ids.add(c.getUniqueid());
            }
        }
        return ids;
    }
}

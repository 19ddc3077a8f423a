package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a recording on disk can go to the box: it is there, it is not empty, and nothing writes it any more —
 * MixMonitor closes the file at the call's hangup, and the mount that shows it here may lag behind a little.
 */
final class RecordingFile {

    /** A file not written for this long is complete. */
    static final Duration QUIET = Duration.ofSeconds(2);

    enum State { MISSING, EMPTY, GROWING, COMPLETE, UNREADABLE }

    private RecordingFile() {
    }

    static State of(Path file, Instant now) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return State.MISSING;
        } catch (IOException e) {
            return State.UNREADABLE;
        }
        if (!a.isRegularFile() || !Files.isReadable(file)) {
            return State.UNREADABLE;
        }
        if (a.lastModifiedTime().toInstant().isAfter(now.minus(QUIET))) {
            return State.GROWING;
        }
        return a.size() == 0 ? State.EMPTY : State.COMPLETE;
    }
}

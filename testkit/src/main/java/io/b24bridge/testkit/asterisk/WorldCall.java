package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call the world placed (its calling side): answered when the far end answered, ended when the world's
 * channel hung up, for whatever reason. {@link #uniqueid()} is the world's channel id, not the PBX's.
 */
public final class WorldCall {

    private final String uniqueid;
    private final String description;
    private final World world;
    final CompletableFuture<Void> answered = new CompletableFuture<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();

    WorldCall(String uniqueid, String description, World world) {
        this.uniqueid = uniqueid;
        this.description = description;
        this.world = world;
    }

    public String uniqueid() {
        return uniqueid;
    }

    /** Waits for the answer; false if the call ended or the time ran out first. */
    public boolean awaitAnswer(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.anyOf(answered, ended).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answered.isDone();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Waits for the world's side of the call to hang up; returns its hangup cause, e.g. "16". */
    public String awaitEnd(Duration timeout) throws InterruptedException, IOException {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(description + " still going after " + timeout);
        } catch (ExecutionException e) {
            throw new IOException(description + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    public boolean isAnswered() {
        return answered.isDone();
    }

    public boolean isEnded() {
        return ended.isDone();
    }

    /** The world hangs up its side now (a BYE, or a CANCEL while ringing). */
    public void hangup() throws IOException {
        if (!ended.isDone()) {
            world.hangupChannelById(uniqueid);
        }
    }

    @Override
    public String toString() {
        return description + " [" + uniqueid + "]";
    }
}

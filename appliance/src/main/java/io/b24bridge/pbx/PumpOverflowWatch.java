package io.b24bridge.pbx;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Notices when asterisk-java drops events. Its socket reader never blocks: it hands each parsed event to a
 * dispatch thread through a queue of 20 000 and, when that is full, drops the event with an ERROR line
 * ("&lt;pump thread name&gt; Event queue is full, not processing ManagerEvent …") and nothing else. Our
 * back-pressure (the bounded intake queue) fills that queue when the sink stays behind long enough; a drop
 * then would leave the call model with a wrong picture. The library offers no hook, so this handler listens to
 * that one log line for the dispatch thread of this connection and reports it; the connection then
 * re-establishes the link, and the sink gets a fresh snapshot.
 *
 * <p>It relies on the library's logging reaching java.util.logging (slf4j-jdk14) at SEVERE; logging
 * configured OFF for {@code org.asteriskjava} blinds it (the pbx health part still shows the back-pressure).
 */
final class PumpOverflowWatch extends Handler {

    static final String LOGGER = "org.asteriskjava.manager.internal.AsyncEventPump";
    private static final String MARK = " Event queue is full";

    private final Logger logger = Logger.getLogger(LOGGER); // held: JUL keeps loggers weakly
    private final Supplier<String> pumpThreadName;
    private final Consumer<String> onOverflow;

    /**
     * @param pumpThreadName the name of the dispatch thread that delivers this connection's events (null until
     *                       the first event)
     * @param onOverflow     told once per dropped event, on the library's reader thread: must be quick
     */
    PumpOverflowWatch(Supplier<String> pumpThreadName, Consumer<String> onOverflow) {
        this.pumpThreadName = pumpThreadName;
        this.onOverflow = onOverflow;
    }

    void install() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String msg = record.getMessage();
        String pump = pumpThreadName.get();
        if (msg != null && pump != null && msg.startsWith(pump + MARK)) {
            onOverflow.accept(pump);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}

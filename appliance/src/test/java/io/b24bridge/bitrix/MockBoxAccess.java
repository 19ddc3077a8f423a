package io.b24bridge.bitrix;

import java.nio.file.Path;
import java.time.Clock;

import mockwebserver3.Dispatcher;

import io.b24bridge.outbox.BoxGateway;
import io.b24bridge.store.Database;

/** {@link MockBox} for tests outside this package: a box client over mTLS to a MockWebServer with a dispatcher. */
public final class MockBoxAccess implements AutoCloseable {

    private final MockBox box;

    private MockBoxAccess(MockBox box) {
        this.box = box;
    }

    public static MockBoxAccess application(Path dir, Dispatcher dispatcher) {
        MockBox box = MockBox.application(dir);
        box.server.setDispatcher(dispatcher);
        return new MockBoxAccess(box);
    }

    public BoxClient client() {
        return box.client;
    }

    /** The outbox's gateway over this box, with its own user directory. */
    public BoxGateway gateway() {
        return new BitrixBoxGateway(box.client, new UserDirectory(new CrmApi(box.client), Clock.systemUTC()));
    }

    public Database db() {
        return box.db;
    }

    @Override
    public void close() {
        box.close();
    }
}

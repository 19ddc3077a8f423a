package io.b24bridge.spine;

import java.nio.file.Path;

import io.b24bridge.testkit.asterisk.AsteriskPair;

/** The website callback on an air-gapped box: OnExternalCallBackStart queued by the b24bridge module, pulled. */
class CallbackOverTheModuleRealAsteriskTest extends CallbackRealAsteriskTest {

    @Override
    SpineRig startRig(Path dir, AsteriskPair pair, SiteClock clock) throws Exception {
        return SpineRig.startWithModule(dir, pair, clock);
    }
}

package io.b24bridge.spine;

import java.nio.file.Path;

import io.b24bridge.testkit.asterisk.AsteriskPair;

/** Click-to-call on an air-gapped box: OnExternalCallStart queued by the b24bridge module, pulled by the appliance. */
class ClickToCallOverTheModuleRealAsteriskTest extends ClickToCallRealAsteriskTest {

    @Override
    SpineRig startRig(Path dir, AsteriskPair pair) throws Exception {
        return SpineRig.startWithModule(dir, pair);
    }
}

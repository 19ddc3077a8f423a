package io.b24bridge;

import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.ExternalLines;
import io.b24bridge.bitrix.LeadSourceCheck;
import io.b24bridge.bitrix.OutgoingLinesCheck;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.health.HealthPart;
import io.b24bridge.settings.SettingsStore;

/**
 * What the settings need from the box, checked at start and whenever the settings change: the routes' lead sources
 * exist (else their leads get CALL), each routed DID has its external line, and the users' clicks reach this
 * appliance (the box sends a click only to the owner of the user's outgoing line). Without a box: three parts of
 * /health that say so.
 */
final class BoxChecks {

    private final HealthPart leadSources;
    private final HealthPart externalLines;
    private final HealthPart outgoingLines;
    private final Runnable start;

    private BoxChecks(HealthPart leadSources, HealthPart externalLines, HealthPart outgoingLines, Runnable start) {
        this.leadSources = leadSources;
        this.externalLines = externalLines;
        this.outgoingLines = outgoingLines;
        this.start = start;
    }

    /** The checks, built (each pushed on {@code parts}); nothing asked of the box until {@link #start()}. */
    static BoxChecks of(Box box, SettingsStore settings, Parts parts) {
        if (!box.configured()) {
            return new BoxChecks(HealthPart.notConfigured("leadSources", "no Bitrix24 box is configured"),
                    HealthPart.notConfigured("externalLines", "no Bitrix24 box is configured"),
                    HealthPart.notConfigured("outgoingLines", "no Bitrix24 box is configured"), () -> { });
        }
        LeadSourceCheck leadSources = parts.push("lead source check", new LeadSourceCheck(new CrmApi(box.client()),
                settings::current));
        // one Bitrix24 external line per routed DID, kept in step with the routes
        ExternalLines lines = parts.push("external lines", new ExternalLines(new TelephonyApi(box.client()),
                settings::current));
        OutgoingLinesCheck outgoing = parts.push("outgoing lines check", new OutgoingLinesCheck(
                new TelephonyApi(box.client()), new CrmApi(box.client())));
        return new BoxChecks(leadSources, lines, outgoing, () -> {
            settings.onChange(s -> leadSources.checkSoon());
            leadSources.checkSoon();
            settings.onChange(s -> lines.checkSoon());
            lines.checkSoon();
            settings.onChange(s -> outgoing.checkSoon()); // the routes' external lines may have changed
            outgoing.start();
        });
    }

    /** The {@code leadSources} part of /health. */
    HealthPart leadSources() {
        return leadSources;
    }

    /** The {@code externalLines} part of /health. */
    HealthPart externalLines() {
        return externalLines;
    }

    /** The {@code outgoingLines} part of /health. */
    HealthPart outgoingLines() {
        return outgoingLines;
    }

    /** Checks now in the background, and again after every saved change of the settings. */
    void start() {
        start.run();
    }
}

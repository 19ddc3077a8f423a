package io.b24bridge.testkit.bitrix;

import java.util.Set;

/**
 * The {@code demo} seed the sandbox uses: managers on extensions 101–103 with mobiles (one whose workday is
 * closed, one inactive on 104), a company and contacts with phones and responsibles, a web lead, two lead sources
 * for call tracking, an inbound webhook for user 1, and the application's line as the portal's default outgoing line
 * (as a finished install leaves it: every click reaches the application).
 */
final class DemoSeed {

    /** The demo webhook's secret: a fixed, well-known value — this is a sandbox, not a box. */
    static final String WEBHOOK_SECRET = "demowebhooksecret";

    private DemoSeed() {
    }

    static void apply(BoxEmulator emu) {
        emu.addUser(new User(2, "Ivan", "Petrov", "101", "+79161110101", "+74951110101", null, true, "OPENED"));
        emu.addUser(new User(3, "Maria", "Sidorova", "102", "+79161110102", null, null, true, "OPENED"));
        emu.addUser(new User(4, "Oleg", "Smirnov", "103", "+79161110103", null, null, true, "CLOSED"));
        emu.addUser(new User(5, "Elena", "Volkova", "104", "+79161110104", null, null, false, "UNAVAILABLE"));
        int company = emu.addCompany("Romashka LLC", 3, "+7 495 111-22-33");
        emu.addContact("Sergey", "Kuznetsov", 2, company, "+7 916 200-00-01");
        emu.addContact("Anna", "Morozova", 3, null, "8 (903) 200-00-02");
        emu.addContact("Pavel", "Orlov", 4, null, "+7 926 200-00-03");
        emu.addLead("Website request", 2, "WEB", "+7 999 300-00-01");
        emu.addLeadSource("DID_74951234567", "Line +7 495 123-45-67 (ads)");
        emu.addLeadSource("DID_74957654321", "Line +7 495 765-43-21 (website)");
        emu.addWebhook(1, WEBHOOK_SECRET, Set.of());
        emu.setPortalOutgoingLine(emu.applicationLine());
    }
}

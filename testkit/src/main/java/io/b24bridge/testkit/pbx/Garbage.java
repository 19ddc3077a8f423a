package io.b24bridge.testkit.pbx;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a broken PBX, a proxy or line noise may put between two AMI events: each sample is one block ending with
 * the empty line that ends a message, so the events around it stay whole. Lines without a colon, an event with
 * no name, an event no Asterisk sends, bytes that are not UTF-8, a line of 70,000 characters, NUL bytes, an
 * answer nobody asked for, and a Hangup of a channel that never existed.
 */
public final class Garbage {

    private static final List<byte[]> SAMPLES = List.of(
            ascii("this is not an AMI line\r\nneither is this\r\n\r\n"),
            ascii("Event: \r\nPrivilege: call,all\r\n\r\n"),
            ascii("Event: NoSuchEventEver\r\nPrivilege: call,all\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n\r\n"),
            bytes("Event: Newexten\r\nPrivilege: dialplan,all\r\nChannel: PJSIP/\u00ff\u00fe-0000\r\n"
                    + "Uniqueid: \u00c3\u0028\r\nLinkedid: \u00c3\u0028\r\n\r\n"),
            ascii("Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: " + "x".repeat(70_000) + "\r\n\r\n"),
            ascii("\0\0\0\r\n\r\n"),
            ascii("Response: Success\r\nActionID: nobody-asked-for-this\r\nMessage: ?\r\n\r\n"),
            ascii("Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/999-deadbeef\r\nUniqueid: 12.34\r\n"
                    + "Linkedid: not-a-call\r\nCause: banana\r\nCause-txt: \r\n\r\n"),
            ascii("Event: DialBegin\r\nPrivilege: call,all\r\n\r\n"),
            ascii(":\r\n: :\r\nEvent:Newchannel\r\n\r\n"));

    private Garbage() {
    }

    /** Sample {@code n} (cycling through them all). */
    public static byte[] sample(long n) {
        return SAMPLES.get((int) (n % SAMPLES.size())).clone();
    }

    public static int samples() {
        return SAMPLES.size();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Each char taken as one byte (0–255): how invalid UTF-8 is written here. */
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package io.b24bridge.testkit.pbx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded AMI session: the text a real Asterisk sent, as captured from its socket (see
 * {@code ami-transcripts/} — the bundled ones in this jar, more in the tests' resources). Only the events are
 * kept, in order; the banner, responses and lines starting with {@code #} (notes) are skipped, as is the
 * login's {@code FullyBooted}. Any file in that format loads.
 *
 * @param name   the file's name, for messages
 * @param events the events, in the order Asterisk sent them
 */
public record Transcript(String name, List<AmiMessage> events) {

    /** Where the bundled transcripts live on the class path. */
    public static final String RESOURCE_DIR = "ami-transcripts/";

    public Transcript {
        events = List.copyOf(events);
    }

    public static Transcript parse(String name, String text) {
        List<AmiMessage> events = new ArrayList<>();
        List<AmiMessage.Header> block = new ArrayList<>();
        for (String raw : text.replace("\r\n", "\n").split("\n", -1)) {
            String line = raw.stripTrailing();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                flush(block, events);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // the banner, or a line of a Command output
            }
            String value = line.substring(colon + 1);
            block.add(new AmiMessage.Header(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value));
        }
        flush(block, events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("transcript " + name + " holds no events");
        }
        return new Transcript(name, events);
    }

    private static void flush(List<AmiMessage.Header> block, List<AmiMessage> events) {
        if (!block.isEmpty() && block.getFirst().name().equalsIgnoreCase("Event")
                && !block.getFirst().value().equalsIgnoreCase("FullyBooted")) {
            events.add(new AmiMessage(block));
        }
        block.clear();
    }

    public static Transcript load(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + file, e);
        }
    }

    /** A transcript on the class path, e.g. {@code ami-transcripts/inbound-….txt}. */
    public static Transcript resource(String path) {
        try (InputStream in = Transcript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + path + " on the class path");
            }
            return parse(path.substring(path.lastIndexOf('/') + 1), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + path, e);
        }
    }

    /**
     * A file path, or the name of a transcript under {@code ami-transcripts/} on the class path (with or
     * without {@code .txt}).
     */
    public static Transcript find(String pathOrName) {
        Path file = Path.of(pathOrName);
        if (Files.isRegularFile(file)) {
            return load(file);
        }
        String name = pathOrName.endsWith(".txt") ? pathOrName : pathOrName + ".txt";
        return resource(RESOURCE_DIR + name);
    }

    /** The bundled recording of an inbound call: DID → ring group 101+102, 101 answers, 102 is cancelled. */
    public static Transcript ringGroupCall() {
        return resource(RESOURCE_DIR + "inbound-did-ringgroup-101-answers-102-cancelled.txt");
    }

    /** The bundled recording of an inbound call through Local channels, placed with Originate. */
    public static Transcript localChannelsCall() {
        return resource(RESOURCE_DIR + "inbound-local-channels-originate.txt");
    }

    public int size() {
        return events.size();
    }
}

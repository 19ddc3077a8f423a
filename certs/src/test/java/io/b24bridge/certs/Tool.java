package io.b24bridge.certs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Runs the command line in-process and captures what it prints. */
final class Tool {

    record Result(int code, String out, String err) {

        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** A prompt that answers from a script and records the questions; with no answers left, there is no terminal. */
    static final class ScriptedPrompt implements PasswordPrompt {
        final Deque<String> answers = new ArrayDeque<>();
        final List<String> questions = new ArrayList<>();

        ScriptedPrompt(String... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public char[] ask(String question) {
            questions.add(question);
            if (answers.isEmpty()) {
                throw new CertsException("no terminal to ask for the password: give it in a file with --password-file FILE");
            }
            return answers.removeFirst().toCharArray();
        }
    }

    private Tool() {
    }

    static Result run(String... args) {
        return run(Clock.systemUTC(), new ScriptedPrompt(), args);
    }

    static Result run(Clock clock, PasswordPrompt prompt, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new CertsTool(o, e, prompt, clock).run(args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

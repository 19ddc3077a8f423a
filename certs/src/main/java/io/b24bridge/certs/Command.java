package io.b24bridge.certs;

import java.util.List;

/** One {@code b24bridge-certs} command. */
interface Command {

    Args.Option DIR = Args.Option.value("dir", "DIR", "the working folder (default: the current folder)");
    Args.Option FORCE = Args.Option.flag("force", "replace files that exist (keys included: the old ones are gone)");
    Args.Option PASSWORD_FILE = Args.Option.value("password-file", "FILE",
            "the keystore password, first line of FILE (default: DIR/store.pass if it exists, else asked)");
    Args.Option CA_PASSWORD_FILE = Args.Option.value("ca-password-file", "FILE",
            "the local CA key's password, first line of FILE (default: asked)");
    Args.Option CA_DIR = Args.Option.value("ca-dir", "DIR", "the local CA's folder (default: DIR/local-ca)");
    Args.Option HELP = Args.Option.flag("help", "this help");

    String name();

    /** One line for the command list. */
    String summary();

    /** What it does, what it writes, an example: shown by {@code help COMMAND}. */
    String description();

    /** Options besides --help. */
    List<Args.Option> options();

    /** Runs it; returns the exit status. Bad input is thrown as {@link CertsException}. */
    int run(Args args, Context ctx);
}

package io.b24bridge.testkit.bitrix;

/** One method call: its (lower-case) name, its parameters and its caller; a batch command is one too. */
record Invocation(String method, Args args, Caller caller) {
}

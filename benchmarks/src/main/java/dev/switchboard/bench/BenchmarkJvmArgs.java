/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

/**
 * JVM arguments every forked benchmark JVM needs, as compile-time constants so they can be used in
 * {@code @Fork(jvmArgsAppend = ...)}. Each constant is one argument in its {@code --option=value} form, because JMH
 * passes each array element to the forked JVM as a single command-line argument.
 * <p>
 * Constants only: no state, nothing allocated.
 */
public final class BenchmarkJvmArgs
{
    /**
     * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}; any JVM touching an Agrona buffer, ring or counter needs it.
     */
    public static final String AGRONA_UNSAFE = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /**
     * Silences JDK 25's {@code sun.misc.Unsafe} deprecation warning printed on behalf of JMH itself.
     */
    public static final String ALLOW_SUN_MISC_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    /**
     * FFM downcalls (io_uring through liburing) warn without it.
     */
    public static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** Chronicle Queue (the LOW tier every IPC client opens) on JDK 25: the first of its flags. */
    public static final String CHRONICLE_OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Chronicle Queue's second flag. */
    public static final String CHRONICLE_OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** Chronicle Queue's third flag. */
    public static final String CHRONICLE_EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** Chronicle Queue's fourth flag. */
    public static final String CHRONICLE_OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Chronicle Queue's fifth flag. */
    public static final String CHRONICLE_OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** Chronicle Queue's sixth flag. */
    public static final String CHRONICLE_EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Chronicle's usage analytics never run. */
    public static final String CHRONICLE_NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    private BenchmarkJvmArgs()
    {
    }
}

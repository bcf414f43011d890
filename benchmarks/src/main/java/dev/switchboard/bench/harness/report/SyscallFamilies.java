/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import java.util.Map;

/**
 * Calls per round trip summed over a case's processes, by family.
 *
 * @param total        every call counted.
 * @param ioUringEnter {@code io_uring_enter}.
 * @param readWrite    {@code read}, {@code write} and their vector and positional forms.
 * @param sendRecv     {@code sendmsg}, {@code recvmsg}, {@code sendto}, {@code recvfrom} and friends.
 * @param emptyReads   read-like calls that returned {@code EAGAIN} (counted apart, not a family of calls made: they
 *                     are already in the families above).
 */
record SyscallFamilies(double total, double ioUringEnter, double readWrite, double sendRecv, double emptyReads)
{
    /** The families counted apart; every other call counts only towards the total. */
    enum Family
    {
        TOTAL, IO_URING_ENTER, READ_WRITE, SEND_RECV, EMPTY_READ, TASK_CLOCK, OTHER
    }

    static SyscallFamilies sum(final Iterable<Map<String, Double>> processes)
    {
        double total = 0;
        double uring = 0;
        double readWrite = 0;
        double sendRecv = 0;
        double empty = 0;
        for (final Map<String, Double> calls : processes)
        {
            if (null == calls)
            {
                continue;
            }
            // A process counted without a "total" entry is totalled here from its named calls.
            final boolean counted = calls.containsKey("total");
            for (final Map.Entry<String, Double> e : calls.entrySet())
            {
                final double n = null == e.getValue() ? 0 : e.getValue();
                final Family family = family(e.getKey());
                if (Family.TOTAL == family || (!counted && Family.EMPTY_READ != family && Family.TASK_CLOCK != family))
                {
                    total += n;
                }
                switch (family)
                {
                    case IO_URING_ENTER -> uring += n;
                    case READ_WRITE -> readWrite += n;
                    case SEND_RECV -> sendRecv += n;
                    case EMPTY_READ -> empty += n;
                    default ->
                    {
                    }
                }
            }
        }
        return new SyscallFamilies(total, uring, readWrite, sendRecv, empty);
    }

    /**
     * @param calls one process's or thread's counts.
     * @return its {@code EAGAIN} returns, every read-like call together.
     */
    static double emptyReads(final Map<String, Double> calls)
    {
        return sum(java.util.List.of(calls)).emptyReads();
    }

    /**
     * @param s a case's counts.
     * @return true when {@code EAGAIN} returns were counted (perf could filter the exit tracepoints).
     */
    static boolean countedEmptyReads(final dev.switchboard.bench.harness.model.SyscallResult s)
    {
        return null != s.perProcess() && s.perProcess().values().stream().anyMatch(m -> null != m &&
            m.keySet().stream().anyMatch(k -> k.startsWith(dev.switchboard.bench.harness.model.SyscallResult.EAGAIN_PREFIX)));
    }

    /**
     * @param key as counted: {@code write}, or a tracepoint name {@code syscalls:sys_enter_write}.
     * @return the bare syscall name.
     */
    static String syscallName(final String key)
    {
        final int enter = key.lastIndexOf("sys_enter_");
        return enter >= 0 ? key.substring(enter + "sys_enter_".length()) : key;
    }

    /**
     * @param key a syscall as counted.
     * @return its family: read/write covers the vector and positional forms, send/recv covers
     * {@code sendmsg}, {@code recvmsg}, {@code sendto}, {@code recvfrom}, {@code sendmmsg}, ...
     */
    static Family family(final String key)
    {
        if (key.startsWith(dev.switchboard.bench.harness.model.SyscallResult.EAGAIN_PREFIX))
        {
            return Family.EMPTY_READ;
        }
        if (key.equals(dev.switchboard.bench.harness.model.SyscallResult.TASK_CLOCK_MS))
        {
            return Family.TASK_CLOCK;
        }
        final String name = syscallName(key);
        if ("total".equals(name))
        {
            return Family.TOTAL;
        }
        if (name.startsWith("io_uring_enter"))
        {
            return Family.IO_URING_ENTER;
        }
        if (name.equals("read") || name.equals("write") || name.startsWith("readv") ||
            name.startsWith("writev") || name.startsWith("pread") || name.startsWith("pwrite"))
        {
            return Family.READ_WRITE;
        }
        return name.startsWith("send") || name.startsWith("recv") ? Family.SEND_RECV : Family.OTHER;
    }
}

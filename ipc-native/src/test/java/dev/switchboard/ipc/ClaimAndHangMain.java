/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import java.nio.file.Path;

import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.transport.Tier;

/**
 * A test-only sender that dies in the middle of a ring write: it maps a receiver's inbox, claims a record with the
 * ring's claim API, prints "claimed INDEX" and then waits, never committing, until the test kills it with SIGKILL.
 * Arguments: inboxPath.
 */
public final class ClaimAndHangMain
{
    private ClaimAndHangMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final InboxFile inbox = InboxFile.open(Path.of(args[0]));
        final int index = inbox.ring().tryClaim(Tier.CRITICAL.typeId(), 64);
        if (index < 0)
        {
            System.err.println("claim failed: " + index);
            System.exit(2);
        }
        // Half a body written, as a sender killed mid-copy leaves it.
        inbox.ring().buffer().putLong(index, 0xDEADL);
        System.out.println("claimed " + index);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.switchboard.router;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.switchboard.codecs.WireLimits;

/**
 * The members (agent ids) of one topic, group, queue or watcher list, kept in join order.
 *
 * <p>Thread-safety: router thread only. Allocation: {@link #add} grows the array when full (warm-up);
 * {@link #remove} and {@link #contains} allocate nothing.
 */
final class MemberSet
{
    final long id;
    final String name;
    private long[] members = new long[8];
    private int size;

    MemberSet(final long id, final String name)
    {
        this.id = id;
        this.name = name;
    }

    /**
     * Check the name of a topic, group or queue as a control request gives it. Allocation: the UTF-8 bytes.
     *
     * @param what "topic", "group" or "queue", for the message.
     * @param name as given.
     * @return what is wrong with it, or null when it is fine.
     */
    static String nameProblem(final String what, final String name)
    {
        final int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || name.isBlank())
        {
            return what + " name must not be empty";
        }
        if (bytes > WireLimits.MAX_NAME_LENGTH)
        {
            return what + " name is " + bytes + " bytes; the limit is " + WireLimits.MAX_NAME_LENGTH;
        }
        return null;
    }

    boolean add(final long agentId)
    {
        if (contains(agentId))
        {
            return false;
        }
        if (size == members.length)
        {
            members = Arrays.copyOf(members, size * 2);
        }
        members[size++] = agentId;
        return true;
    }

    boolean remove(final long agentId)
    {
        for (int i = 0; i < size; i++)
        {
            if (members[i] == agentId)
            {
                System.arraycopy(members, i + 1, members, i, size - i - 1);
                size--;
                return true;
            }
        }
        return false;
    }

    boolean contains(final long agentId)
    {
        for (int i = 0; i < size; i++)
        {
            if (members[i] == agentId)
            {
                return true;
            }
        }
        return false;
    }

    int size()
    {
        return size;
    }

    long get(final int i)
    {
        return members[i];
    }
}

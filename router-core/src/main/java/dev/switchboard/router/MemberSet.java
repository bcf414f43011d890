package dev.switchboard.router;

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

    boolean add(final long agentId)
    {
        if (contains(agentId))
        {
            return false;
        }
        if (size == members.length)
        {
            members = java.util.Arrays.copyOf(members, size * 2);
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

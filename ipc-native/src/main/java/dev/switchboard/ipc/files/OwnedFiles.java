/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

import dev.switchboard.ipc.process.ProcessContext;

/**
 * The rules for every file and directory Switchboard creates or reuses (CRITICAL inboxes, LOW queues, the
 * runtime dir), in one place.
 *
 * <h2>Modes</h2>
 * Files are {@code 0600} and directories {@code 0700}, owned by this process's user; or, when
 * {@value #GROUP_PROP} names a group, {@code 0660} / {@code 0770} with that group, so agents of several users in
 * that group can share a runtime. The mode is given to the {@code open}/{@code mkdir} call itself (no window
 * where the file is more open), then set again explicitly, because the umask can only remove bits, and read
 * back.
 *
 * <h2>Creation</h2>
 * A file that must be fresh is created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} ({@code O_CREAT |
 * O_EXCL | O_NOFOLLOW}): an existing file or a symbolic link at the path fails the call, nothing is truncated
 * and no link target is touched. A directory that already exists is reused only when it is a real directory
 * (not a symbolic link), owned by this user, and not writable by anyone else (group write only for the
 * configured group); its mode is not changed, so pointing a setting at a shared directory cannot chmod it.
 * Missing levels are created with the directory mode.
 *
 * <h2>Reuse</h2>
 * An existing file (a LOW queue's files after a restart, another agent's inbox) is used only when it is a
 * regular file, not a symbolic link, owned by this user (or, with a configured group, of that group) and not
 * writable by others; anything else is refused as {@link FileRefusal#FOREIGN}, never truncated or mapped.
 *
 * <h2>Roots</h2>
 * Every path stays inside its root (runtime dir, shm dir or data dir): a name from outside (agent or queue
 * name, inbox path from the registry) becomes a path only through {@link #resolveInside} or is checked by
 * {@link #requireInside}: absolute and normalised, then {@code startsWith(root)}; names with {@code /}, NUL,
 * {@code .} or {@code ..} are refused as {@link FileRefusal#OUTSIDE_ROOT}.
 *
 * <h2>Counters</h2>
 * Every refusal is counted per {@link FileRefusal} for the process ({@link #refusals(FileRefusal)}), logged in the
 * distinct error log of the process's counters file (kind {@code "file refused: REASON"}, see {@link #onRefusal}), and
 * the exception says which path, what was found and what was expected.
 *
 * <p>Thread-safety: immutable, shareable; the counters are atomic. Allocation: every method allocates (file
 * system calls); none is on a per-message path.
 */
public final class OwnedFiles
{
    /**
     * Property naming the group that may share Switchboard's files (mode 0660/0770); unset: owner only. Read by
     * {@link ProcessContext} ({@link ProcessContext#FILES_GROUP_PROP}).
     */
    public static final String GROUP_PROP = ProcessContext.FILES_GROUP_PROP;

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> GROUP_DIR = PosixFilePermissions.fromString("rwxrwx---");
    private static final String UNIX_ATTRIBUTES = "unix:uid,gid,mode,isRegularFile,isDirectory,isSymbolicLink";
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int PERMISSION_BITS = 07777;
    private static final int FILE_TYPE_BITS = 0170000;
    private static final int SOCKET_TYPE = 0140000;
    private static final AtomicLongArray REFUSALS = new AtomicLongArray(FileRefusal.values().length);
    /** Told of every refusal (the counters files' distinct error log); see {@link #onRefusal}. */
    private static final List<Consumer<RefusedFileException>> REFUSAL_LISTENERS = new CopyOnWriteArrayList<>();

    private final String groupName;
    private final GroupPrincipal group;
    private final Set<PosixFilePermission> fileMode;
    private final Set<PosixFilePermission> dirMode;

    private OwnedFiles(final String groupName, final GroupPrincipal group)
    {
        this.groupName = groupName;
        this.group = group;
        this.fileMode = group == null ? OWNER_FILE : GROUP_FILE;
        this.dirMode = group == null ? OWNER_DIR : GROUP_DIR;
    }

    /**
     * The policy of this process: {@value #GROUP_PROP} read once.
     *
     * @return the shared policy.
     * @throws IllegalArgumentException if the property names a group that does not exist.
     */
    public static OwnedFiles processDefault()
    {
        return Default.POLICY;
    }

    /** @return owner-only files (0600) and directories (0700). */
    public static OwnedFiles ownerOnly()
    {
        return new OwnedFiles(null, null);
    }

    /**
     * @param groupName a group of this system; null or blank means {@link #ownerOnly()}.
     * @return files 0660 and directories 0770 of that group.
     * @throws IllegalArgumentException naming the group if it does not exist.
     */
    public static OwnedFiles withGroup(final String groupName)
    {
        if (groupName == null || groupName.isBlank())
        {
            return ownerOnly();
        }
        try
        {
            final GroupPrincipal group =
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(groupName);
            return new OwnedFiles(groupName, group);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(
                "unknown group '" + groupName + "' (" + GROUP_PROP + "): " + ex.getMessage(), ex);
        }
    }

    /** @return the mode of files: 0600, or 0660 with a group. */
    public Set<PosixFilePermission> fileMode()
    {
        return fileMode;
    }

    /** @return the mode of directories: 0700, or 0770 with a group. */
    public Set<PosixFilePermission> dirMode()
    {
        return dirMode;
    }

    /** @return the configured group's name, or null for owner only. */
    public String groupName()
    {
        return groupName;
    }

    /**
     * Make sure a directory exists and is ours: create the missing levels with {@link #dirMode()}, or check an
     * existing one (see the class comment).
     *
     * @param dir the directory.
     * @return {@code dir}, absolute and normalised.
     * @throws RefusedFileException if {@code dir} (or a parent being created) is a symbolic link or not ours.
     * @throws IOException          if it cannot be created.
     */
    public Path createDirectories(final Path dir) throws IOException
    {
        final Path absolute = dir.toAbsolutePath().normalize();
        if (exists(absolute))
        {
            checkDirectory(absolute);
            return absolute;
        }
        final Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            createDirectories(parent);
        }
        try
        {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(dirMode));
        }
        catch (final FileAlreadyExistsException ex)
        {
            // Created concurrently (another process of ours), or planted: the check below decides.
            checkDirectory(absolute);
            return absolute;
        }
        restrict(absolute, dirMode);
        return absolute;
    }

    /**
     * Check that an existing directory may be used: a directory, not a symbolic link, owned by this user, not
     * writable by others (nor by its group unless it is the configured group).
     *
     * @param dir the directory.
     * @throws RefusedFileException when it is not.
     * @throws IOException          when its attributes cannot be read.
     */
    public void checkDirectory(final Path dir) throws IOException
    {
        final Map<String, Object> attributes = unixAttributes(dir);
        if ((Boolean)attributes.get("isSymbolicLink"))
        {
            throw refuse(dir, FileRefusal.SYMLINK,
                "a symbolic link where a directory was expected (links are not followed)");
        }
        if (!(Boolean)attributes.get("isDirectory"))
        {
            throw refuse(dir, FileRefusal.FOREIGN, "exists and is not a directory");
        }
        checkOwnerAndMode(dir, attributes);
    }

    /**
     * Create a file that must not exist yet, with {@link #fileMode()} (see the class comment), open for reading
     * and writing.
     *
     * @param file the file; its directory must exist.
     * @return the open channel; the caller closes it.
     * @throws RefusedFileException if a symbolic link is at the path ({@link FileRefusal#SYMLINK}) or the file
     *                              system has no space ({@link FileRefusal#NO_SPACE}).
     * @throws FileAlreadyExistsException if a file is at the path (nothing is truncated).
     * @throws IOException          if it cannot be created or its mode cannot be set.
     */
    public FileChannel createNew(final Path file) throws IOException
    {
        final FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(fileMode);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), mode);
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (Files.isSymbolicLink(file))
            {
                throw refuse(file, FileRefusal.SYMLINK, "a symbolic link is at the path of a file to create " +
                    "(not followed; its target is untouched)");
            }
            throw ex;
        }
        catch (final IOException ex)
        {
            throw isNoSpace(ex) ? refuse(file, FileRefusal.NO_SPACE, "no space to create it: " + ex.getMessage()) : ex;
        }
        try
        {
            restrict(file, fileMode);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            Files.deleteIfExists(file);
            throw ex;
        }
    }

    /**
     * Check that an existing file may be reused or mapped: a regular file, not a symbolic link, owned by this
     * user (or of the configured group), not writable by others.
     *
     * @param file the file.
     * @throws RefusedFileException when it is not ({@link FileRefusal#SYMLINK} or {@link FileRefusal#FOREIGN}).
     * @throws NoSuchFileException  when it does not exist.
     * @throws IOException          when its attributes cannot be read.
     */
    public void checkOurs(final Path file) throws IOException
    {
        final Map<String, Object> attributes = unixAttributes(file);
        if ((Boolean)attributes.get("isSymbolicLink"))
        {
            throw refuse(file, FileRefusal.SYMLINK, "a symbolic link (links are not followed)");
        }
        if (!(Boolean)attributes.get("isRegularFile"))
        {
            throw refuse(file, FileRefusal.FOREIGN, "not a regular file");
        }
        checkOwnerAndMode(file, attributes);
    }

    /**
     * Bring a file this user owns, created by someone else's code (Chronicle's {@code .cq4} files), to
     * {@link #fileMode()} and the configured group. Refuses, like {@link #checkOurs}, a file that is not ours.
     *
     * @param file the file.
     * @throws IOException as {@link #checkOurs}, or if the mode cannot be set.
     */
    public void restrictExisting(final Path file) throws IOException
    {
        checkOurs(file);
        restrict(file, fileMode);
    }

    /**
     * Make room to bind a Unix socket at {@code path}: remove a stale socket of ours left by a previous run;
     * refuse (and leave in place) anything else: a symbolic link, a regular file or directory, a socket of
     * another user.
     *
     * @param path the socket path.
     * @throws RefusedFileException when something that is not our stale socket is at the path.
     * @throws IOException          when it cannot be removed.
     */
    public static void removeStaleSocket(final Path path) throws IOException
    {
        if (!exists(path))
        {
            return;
        }
        final Map<String, Object> attributes = unixAttributes(path);
        if ((Boolean)attributes.get("isSymbolicLink"))
        {
            throw refuse(path, FileRefusal.SYMLINK,
                "a symbolic link where a socket is to be bound (not followed, not removed)");
        }
        final int mode = (Integer)attributes.get("mode");
        if ((mode & FILE_TYPE_BITS) != SOCKET_TYPE)
        {
            throw refuse(path, FileRefusal.FOREIGN, "not a socket (mode " + Integer.toOctalString(mode) +
                "): not removed to bind a socket there");
        }
        final int owner = (Integer)attributes.get("uid");
        if (owner != Self.UID)
        {
            throw refuse(path, FileRefusal.FOREIGN, "a socket of uid " + owner + ", not this user (" + Self.UID +
                "): another user's server, not removed");
        }
        Files.deleteIfExists(path);
    }

    /**
     * Resolve a name from outside (already sanitised or not) to a path directly inside {@code root}.
     *
     * @param root the root dir.
     * @param name a single file name.
     * @return {@code root/name}, absolute and normalised.
     * @throws RefusedFileException ({@link FileRefusal#OUTSIDE_ROOT}) if the name is empty, {@code .},
     *                              {@code ..}, contains {@code /} or NUL, or the result is not inside the root.
     */
    public static Path resolveInside(final Path root, final String name) throws RefusedFileException
    {
        final Path absoluteRoot = root.toAbsolutePath().normalize();
        if (name == null || name.isEmpty() || ".".equals(name) || "..".equals(name) ||
            name.indexOf('/') >= 0 || name.indexOf('\0') >= 0)
        {
            throw refuse(absoluteRoot.resolve("?"), FileRefusal.OUTSIDE_ROOT, "the name '" +
                String.valueOf(name).replace("\0", "\\0") + "' is not a single file name inside " + absoluteRoot +
                " (empty, '.', '..', '/' and NUL are refused)");
        }
        return requireInside(absoluteRoot, absoluteRoot.resolve(name));
    }

    /**
     * Check that a path stays inside a root: both made absolute and normalised, then {@code startsWith}.
     *
     * @param root      the root dir.
     * @param candidate the path.
     * @return the candidate, absolute and normalised.
     * @throws RefusedFileException ({@link FileRefusal#OUTSIDE_ROOT}) if it is the root itself or outside it.
     */
    public static Path requireInside(final Path root, final Path candidate) throws RefusedFileException
    {
        final Path absoluteRoot = root.toAbsolutePath().normalize();
        final Path absolute = candidate.toAbsolutePath().normalize();
        if (!absolute.startsWith(absoluteRoot) || absolute.equals(absoluteRoot))
        {
            throw refuse(absolute, FileRefusal.OUTSIDE_ROOT, "outside its root " + absoluteRoot +
                (absolute.equals(candidate) ? "" : " (given as " + candidate + ")"));
        }
        return absolute;
    }

    /**
     * Count a refusal and make its exception.
     *
     * @param path    the refused path.
     * @param reason  why.
     * @param message what was found and expected.
     * @return the exception, to throw.
     */
    public static RefusedFileException refuse(final Path path, final FileRefusal reason, final String message)
    {
        REFUSALS.incrementAndGet(reason.ordinal());
        final RefusedFileException refused = new RefusedFileException(path, reason, message);
        for (final Consumer<RefusedFileException> listener : REFUSAL_LISTENERS)
        {
            listener.accept(refused);
        }
        return refused;
    }

    /**
     * Be told of every refusal of this process from now on (after it is counted, before it is thrown), as the
     * counters files' distinct error log is ({@code dev.switchboard.ipc.counters.ProcessCountersFiles}).
     *
     * @param listener called on the refusing thread; must not throw or block.
     */
    public static void onRefusal(final Consumer<RefusedFileException> listener)
    {
        REFUSAL_LISTENERS.add(listener);
    }

    /**
     * @param reason a reason.
     * @return refusals of that reason in this process so far.
     */
    public static long refusals(final FileRefusal reason)
    {
        return REFUSALS.get(reason.ordinal());
    }

    /**
     * @param ex an I/O failure.
     * @return true when it is ENOSPC (the JDK reports it as "No space left on device").
     */
    /**
     * Write {@code length} zero bytes from the start of a newly created file, so that its pages exist before it is
     * mapped (a mapping over a hole that the file system cannot fill faults at the first write instead of failing here).
     *
     * @param file    the file (for the refusal's message).
     * @param channel open for writing.
     * @param length  bytes to write.
     * @param what    what the file is, for the message ("an inbox", "a counters file").
     * @throws RefusedFileException ({@link FileRefusal#NO_SPACE}) when the file system is full.
     * @throws IOException          on another I/O error.
     */
    public static void zeroFill(final Path file, final java.nio.channels.FileChannel channel, final long length,
        final String what) throws IOException
    {
        final java.nio.ByteBuffer zeroes = java.nio.ByteBuffer.allocate((int)Math.min(ZERO_FILL_CHUNK, length));
        long position = 0;
        try
        {
            while (position < length)
            {
                zeroes.clear().limit((int)Math.min(zeroes.capacity(), length - position));
                position += channel.write(zeroes, position);
            }
        }
        catch (final IOException ex)
        {
            if (isNoSpace(ex))
            {
                throw refuse(file, FileRefusal.NO_SPACE, "no space for " + what + " of " + length + " bytes (" +
                    position + " written): the shm file system is full");
            }
            throw ex;
        }
    }

    /** Zero bytes written per call by {@link #zeroFill}. */
    private static final int ZERO_FILL_CHUNK = 64 * 1024;

    public static boolean isNoSpace(final IOException ex)
    {
        return ex.getMessage() != null && ex.getMessage().contains("No space left on device");
    }

    /** @return this process's user id. */
    public static int uid()
    {
        return Self.UID;
    }

    private void checkOwnerAndMode(final Path path, final Map<String, Object> attributes) throws IOException
    {
        final int owner = (Integer)attributes.get("uid");
        final int gid = (Integer)attributes.get("gid");
        final int mode = (Integer)attributes.get("mode") & PERMISSION_BITS;
        // The JDK's group principals are equal when their gids are.
        final boolean sharedGroup = group != null && group.equals(
            Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group());
        if (owner != Self.UID && !sharedGroup)
        {
            throw refuse(path, FileRefusal.FOREIGN, "owned by uid " + owner + " (group " + gid + "), expected uid " +
                Self.UID + (group == null ? "" : " or group " + groupName) +
                ": not created by Switchboard for this user");
        }
        if ((mode & OTHER_WRITE) != 0 || ((mode & GROUP_WRITE) != 0 && !sharedGroup))
        {
            throw refuse(path, FileRefusal.FOREIGN, "mode " + Integer.toOctalString(mode) +
                " lets " + ((mode & OTHER_WRITE) != 0 ? "any user" : "group " + gid) + " write it; expected at most " +
                PosixFilePermissions.toString(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? dirMode : fileMode) +
                (group == null ? " (set " + GROUP_PROP + " to share with a group)" : " with group " + groupName));
        }
    }

    private void restrict(final Path path, final Set<PosixFilePermission> mode) throws IOException
    {
        final PosixFileAttributeView view =
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (group != null)
        {
            view.setGroup(group);
        }
        view.setPermissions(mode);
        final Set<PosixFilePermission> actual = view.readAttributes().permissions();
        if (!actual.equals(mode))
        {
            throw new IOException("mode of " + path + " is " + PosixFilePermissions.toString(actual) +
                " after setting " + PosixFilePermissions.toString(mode));
        }
    }

    private static Map<String, Object> unixAttributes(final Path path) throws IOException
    {
        return Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean exists(final Path path)
    {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString()
    {
        return "OwnedFiles{files=" + PosixFilePermissions.toString(fileMode) + ", dirs=" +
            PosixFilePermissions.toString(dirMode) + (group == null ? "" : ", group=" + groupName) + '}';
    }

    /** Holder: made on first use, from the process's settings. */
    private static final class Default
    {
        static final OwnedFiles POLICY = withGroup(ProcessContext.current().filesGroup());
    }

    /** Holder: this process's uid, read once from {@code /proc/self}. */
    private static final class Self
    {
        static final int UID = readUid();

        private static int readUid()
        {
            try
            {
                return (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot read this process's uid from /proc/self: " + ex, ex);
            }
        }
    }
}

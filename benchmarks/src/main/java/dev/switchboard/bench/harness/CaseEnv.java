/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Path;

/**
 * What a case needs to open its endpoints, the same in every process of the case.
 *
 * @param caseId           the case's {@link BenchCase#id()}.
 * @param dir              a fresh directory of this case alone (sockets, ring files, queues, the router's runtime
 *                         dir); shared memory files go under {@link #shmDir()}.
 * @param shmDir           a fresh directory of this case under /dev/shm (or {@code dir} where /dev/shm is missing).
 * @param maxPayloadLength the largest message the case will send (send buffers and rings are sized for it).
 * @param producers        the most producers (initiator endpoints) the case will open at once.
 */
public record CaseEnv(String caseId, Path dir, Path shmDir, int maxPayloadLength, int producers)
{
}

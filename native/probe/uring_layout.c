/*
 * Layout probe for the io_uring bindings of ipc-native (package dev.switchboard.ipc.uring.liburing).
 *
 * Prints, one per line, what the Java layouts must agree with, as the C compiler sees liburing.h:
 *
 *   <struct> <sizeof>                       e.g.  io_uring_sqe 64
 *   <struct>.<field> <offsetof> <sizeof>    e.g.  io_uring_sqe.user_data 32 8
 *   const <NAME> <value>                    e.g.  const IORING_OP_WRITE_FIXED 5
 *
 * Every struct, field and constant the Java bindings keep is listed here, and nothing else: UringLayoutTest
 * compiles this file with gcc, runs it, and fails on any line without an equal Java counterpart, on any Java struct,
 * field or constant without a line here, and on a field a binding declares in any form (offset or layout constant,
 * accessor, getter, setter) that is not printed. The bindings hold only what ipc-native and the router use, so a
 * struct may be printed with fewer fields than it has: its size still checks the members left out. When a binding
 * gains a field or a constant, add its line here in the same change.
 *
 * Build by hand: make -C native/probe   (output in native/build/probe/uring_layout)
 */
#include <liburing.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <errno.h>
#include <poll.h>

#define SIZE(type) printf("%s %zu\n", #type, sizeof(struct type))
#define FIELD(type, field) \
    printf("%s.%s %zu %zu\n", #type, #field, offsetof(struct type, field), sizeof(((struct type *)0)->field))
/* A flexible array member has no sizeof: its offset, and 0 as its size (as the Java zero-length sequence). None is
 * bound at present (io_uring_probe.ops and io_uring_buf_ring.bufs are reached through the structs' and their
 * elements' sizes); kept for when one is. */
#define FLEX_FIELD(type, field) printf("%s.%s %zu 0\n", #type, #field, offsetof(struct type, field))
#define CONST(name) printf("const %s %lld\n", #name, (long long)(name))

int main(void)
{
    SIZE(io_uring_sq);
    FIELD(io_uring_sq, khead);
    FIELD(io_uring_sq, ktail);
    FIELD(io_uring_sq, kflags);
    FIELD(io_uring_sq, array);
    FIELD(io_uring_sq, sqes);
    FIELD(io_uring_sq, sqe_head);
    FIELD(io_uring_sq, sqe_tail);
    FIELD(io_uring_sq, ring_mask);
    FIELD(io_uring_sq, ring_entries);

    SIZE(io_uring_cq);
    FIELD(io_uring_cq, khead);
    FIELD(io_uring_cq, ktail);
    FIELD(io_uring_cq, cqes);
    FIELD(io_uring_cq, ring_mask);
    FIELD(io_uring_cq, ring_entries);

    SIZE(io_uring);
    FIELD(io_uring, sq);
    FIELD(io_uring, cq);
    FIELD(io_uring, flags);
    FIELD(io_uring, ring_fd);

    SIZE(io_uring_sqe);
    FIELD(io_uring_sqe, opcode);
    FIELD(io_uring_sqe, flags);
    FIELD(io_uring_sqe, ioprio);
    FIELD(io_uring_sqe, fd);
    FIELD(io_uring_sqe, off);
    FIELD(io_uring_sqe, addr);
    FIELD(io_uring_sqe, len);
    FIELD(io_uring_sqe, rw_flags);
    FIELD(io_uring_sqe, user_data);
    FIELD(io_uring_sqe, buf_index);
    FIELD(io_uring_sqe, buf_group);
    FIELD(io_uring_sqe, personality);
    FIELD(io_uring_sqe, file_index);
    FIELD(io_uring_sqe, addr3);
    FIELD(io_uring_sqe, __pad2);

    SIZE(io_uring_cqe);
    FIELD(io_uring_cqe, user_data);
    FIELD(io_uring_cqe, res);
    FIELD(io_uring_cqe, flags);

    /* No field read: the sq_off and cq_off members of io_uring_params. */
    SIZE(io_sqring_offsets);

    SIZE(io_cqring_offsets);

    SIZE(io_uring_params);
    FIELD(io_uring_params, cq_entries);
    FIELD(io_uring_params, flags);
    FIELD(io_uring_params, features);

    SIZE(__kernel_timespec);
    FIELD(__kernel_timespec, tv_sec);
    FIELD(__kernel_timespec, tv_nsec);

    SIZE(iovec);
    FIELD(iovec, iov_base);
    FIELD(iovec, iov_len);

    SIZE(io_uring_buf);
    FIELD(io_uring_buf, addr);
    FIELD(io_uring_buf, len);
    FIELD(io_uring_buf, bid);

    SIZE(io_uring_buf_ring);
    FIELD(io_uring_buf_ring, tail);

    SIZE(io_uring_buf_reg);
    FIELD(io_uring_buf_reg, ring_addr);
    FIELD(io_uring_buf_reg, ring_entries);
    FIELD(io_uring_buf_reg, bgid);

    SIZE(io_uring_probe_op);
    FIELD(io_uring_probe_op, flags);

    SIZE(io_uring_probe);
    FIELD(io_uring_probe, last_op);
    FIELD(io_uring_probe, ops_len);

    SIZE(pollfd);
    FIELD(pollfd, fd);
    FIELD(pollfd, events);

    SIZE(sockaddr_un);
    FIELD(sockaddr_un, sun_family);
    FIELD(sockaddr_un, sun_path);

    CONST(IORING_OP_NOP);
    CONST(IORING_OP_READ_FIXED);
    CONST(IORING_OP_WRITE_FIXED);
    CONST(IORING_OP_ACCEPT);
    CONST(IORING_OP_ASYNC_CANCEL);
    CONST(IORING_SETUP_CQSIZE);
    CONST(IORING_SETUP_SQE128);
    CONST(IORING_SETUP_CQE32);
    CONST(IORING_SQ_CQ_OVERFLOW);
    CONST(IORING_SQ_TASKRUN);
    CONST(AF_UNIX);
    CONST(SOCK_STREAM);
    CONST(SOCK_CLOEXEC);
    CONST(SHUT_RDWR);
    CONST(SOL_SOCKET);
    CONST(SO_PEERCRED);
    CONST(EAGAIN);
    CONST(EINTR);
    CONST(ECANCELED);
    CONST(IORING_OP_SEND);
    CONST(IORING_OP_RECV);
    CONST(IORING_SETUP_R_DISABLED);
    CONST(IORING_SETUP_COOP_TASKRUN);
    CONST(IORING_SETUP_TASKRUN_FLAG);
    CONST(IORING_SETUP_SINGLE_ISSUER);
    CONST(IORING_SETUP_DEFER_TASKRUN);
    CONST(IORING_RECV_MULTISHOT);
    CONST(IOSQE_BUFFER_SELECT);
    CONST(IORING_CQE_F_BUFFER);
    CONST(IORING_CQE_F_MORE);
    CONST(IORING_CQE_BUFFER_SHIFT);
    CONST(IORING_REGISTER_ENABLE_RINGS);
    CONST(IO_URING_OP_SUPPORTED);
    CONST(SOCK_NONBLOCK);
    CONST(POLLIN);
    CONST(EINVAL);
    CONST(ENOBUFS);
    CONST(EPIPE);
    CONST(ECONNRESET);
    return 0;
}

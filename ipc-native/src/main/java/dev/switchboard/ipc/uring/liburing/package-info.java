/**
 * The liburing and libc bindings HIGH runs on, in the shape jextract generates and written by hand (jextract cannot
 * be obtained here): {@link dev.switchboard.ipc.uring.liburing.liburing_h} (library lookup, C type layouts,
 * constants, functions) and one class per struct, named as in C.
 *
 * <p>Only what ipc-native and the router use is here. A struct class keeps its complete {@code $LAYOUT} (every
 * member in C order, anonymous unions named {@code $anon$<line>:<column>} as jextract names them), so that its size
 * and offsets stay the C ones, plus {@code layout()} and {@code sizeof()}; of its fields, only those read or written
 * somewhere, each with its {@code x$LAYOUT} and {@code x$OFFSET} constants and just the accessors in use
 * ({@code x$offset()}, the getter, the setter, ...). A function keeps its holder class, {@code name$handle()} and its
 * invoker. A class is public only when used outside this package ({@code io_sqring_offsets} and
 * {@code io_cqring_offsets} are package-private: they exist as members of {@code io_uring_params}).
 *
 * <p>Every struct's size, every field's offset and size and every constant's value is compared with
 * {@code <liburing.h>} by {@code UringLayoutTest}, through the C probe {@code native/probe/uring_layout.c}, which
 * prints exactly what the bindings keep; the test also fails when a binding declares a field in any form that the
 * probe does not print. Function descriptors are not checked against the header: review them against its
 * prototypes.
 *
 * <p>To add a binding: write the member in jextract's shape beside the others (for a field, its {@code x$LAYOUT}
 * selected from {@code $LAYOUT}, its {@code x$OFFSET} and the accessor you need, with jextract's Javadoc; for a new
 * struct, a class with {@code $LAYOUT}, {@code layout()} and {@code sizeof()}; for a constant, a private value and
 * its {@code NAME()} method; for a function, a holder class, {@code name$handle()} and the invoker), add its
 * {@code SIZE}, {@code FIELD} or {@code CONST} line to {@code native/probe/uring_layout.c}, and run
 * {@code mvn25 -B -o test -pl ipc-native -Dtest=UringLayoutTest}. A liburing function HIGH cannot run without also
 * goes into {@code UringProbe}'s required symbols, so that a library lacking it is refused at start.
 */
package dev.switchboard.ipc.uring.liburing;

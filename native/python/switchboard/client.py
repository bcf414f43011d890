# Copyright 2025 Switchboard contributors.
"""A Switchboard agent in Python, over libswitchboard (ctypes)."""
import ctypes
import enum

from . import _lib


class OfferStatus(enum.IntEnum):
    """Outcome of every data call: the values of Java's OfferStatus and C's sb_offer_status."""
    OK = 0
    BACK_PRESSURED = -1
    NOT_CONNECTED = -2
    TOO_LARGE = -3
    REJECTED = -4
    CLOSED = -5


class Priority(enum.IntEnum):
    """Message priority; picks the tier (the schema's Priority). The C library carries HIGH as NORMAL and refuses
    LOW."""
    CRITICAL = 0
    HIGH = 1
    NORMAL = 2
    LOW = 3
    BATCH = 4


class Pattern(enum.IntEnum):
    """Messaging pattern of a received message (the schema's Pattern)."""
    SEND = 0
    PUBLISH = 1
    REQUEST = 2
    RESPONSE = 3
    WORK = 4
    WORK_ACK = 5
    BROADCAST = 6
    MULTICAST = 7


class Tier(enum.IntEnum):
    """The tier that carried a received message (Java's Tier.typeId())."""
    CRITICAL = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4
    BATCH = 5
    IN_PROCESS = 6


class IdleKind(enum.IntEnum):
    """How Client.idle waits when a poll found nothing (Java's switchboard.client.idle)."""
    BUSY_SPIN = 0
    YIELD = 1
    BACKOFF = 2
    SPIN_PARK = 3


FLAG_REDELIVERY = 1
"""Message.flags bit: a work item delivered again."""


class SwitchboardError(Exception):
    """A control call failed: code is the router's ErrorCode (1..99) or the library's sb_error (1000...)."""

    def __init__(self, what, code, text):
        super().__init__(f"{what}: {text} (code {code})")
        self.code = code
        self.text = text


def _fail(what):
    lib = _lib.lib()
    message = lib.sb_errmsg()
    raise SwitchboardError(what, lib.sb_errcode(), message.decode("utf-8", "replace") if message else "")


def _encode(name, what):
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, not {type(name).__name__}")
    return name.encode("utf-8")


def name_id(name):
    """The id of a topic, queue or group name, as the router computes it (Java's NameIds.of)."""
    return _lib.lib().sb_name_id(_encode(name, "name"))


class Message:
    """A received message. Unlike the C library's sb_message it outlives the handler: the payload is copied into
    `payload` (bytes) and the ids are kept, so respond() and ack() work after the handler returned."""
    __slots__ = ("source_agent_id", "target_id", "correlation_id", "timestamp_ns", "flags", "target_kind",
                 "pattern", "priority", "tier", "payload")

    def __init__(self, m):
        self.source_agent_id = m.source_agent_id
        self.target_id = m.target_id
        self.correlation_id = m.correlation_id
        self.timestamp_ns = m.timestamp_ns
        self.flags = m.flags
        self.target_kind = m.target_kind
        self.pattern = Pattern(m.pattern)
        self.priority = Priority(m.priority)
        self.tier = Tier(m.tier)
        self.payload = ctypes.string_at(m.payload, m.payload_length) if m.payload_length else b""

    @property
    def is_redelivery(self):
        """True for a work item delivered again (its first holder left or missed the ack deadline)."""
        return bool(self.flags & FLAG_REDELIVERY)

    def _as_c(self):
        m = _lib.sb_message()
        m.source_agent_id = self.source_agent_id
        m.target_id = self.target_id
        m.correlation_id = self.correlation_id
        m.timestamp_ns = self.timestamp_ns
        m.flags = self.flags
        m.target_kind = self.target_kind
        m.pattern = int(self.pattern)
        m.priority = int(self.priority)
        m.tier = int(self.tier)
        return m

    def __repr__(self):
        return (f"Message({self.pattern.name} from {self.source_agent_id} on {self.tier.name}, "
                f"correlation {self.correlation_id}, {len(self.payload)} bytes)")


class Destination:
    """A receiver resolved once at a priority (the send path's handle); owned by its Client."""
    __slots__ = ("_handle", "agent_id", "direct")

    def __init__(self, handle):
        lib = _lib.lib()
        self._handle = handle
        self.agent_id = lib.sb_destination_agent_id(handle)
        self.direct = bool(lib.sb_destination_is_direct(handle))


class Client:
    """One agent: a connection to the router, its registration and its inbox.

    Control calls (register, destination, subscribe, consume, join_group, lookup) block until the router answers and
    raise SwitchboardError when refused. Data calls (send, publish, request, respond, enqueue, ack, broadcast,
    multicast) never block and return an OfferStatus (a correlation id for request); poll delivers Message objects.

    Not thread-safe: one thread per client, as in C and Java. Allocation: Python allocates a Message and a bytes
    object per received message (the C library underneath allocates nothing on the data path).
    """

    def __init__(self, socket_path=None, shm_dir=None, timeout_ms=None, lease_ms=None, idle=None,
                 secret_file=None, inbox_capacity=None, on_error=None):
        """Connect to the router. Each argument left at None keeps libswitchboard's default, which its environment
        variables override (SWITCHBOARD_SOCKET, SWITCHBOARD_SHM_DIR, ...: see native/README.md).

        idle: (IdleKind, spin_ns, park_ms). on_error(correlation_id, code, text): the router's later refusals, from
        poll; without it they are appended to self.errors.
        """
        lib = _lib.lib()
        self.errors = []
        self.name = None
        self._on_error = on_error
        self._handle = None
        self._pending = {}
        self._poll_handler = None
        self._callback_error = None
        # kept alive as long as the client: the library calls them back
        self._c_error = _lib.sb_error_handler(self._error_trampoline)
        self._c_message = _lib.sb_message_handler(self._message_trampoline)
        self._c_response = _lib.sb_response_handler(self._response_trampoline)
        ctx = ctypes.c_void_p()
        if lib.sb_context_init(ctypes.byref(ctx)) < 0:
            _fail("context")
        try:
            settings = [
                (socket_path, lambda: lib.sb_context_set_socket_path(ctx, _encode(str(socket_path), "socket_path"))),
                (shm_dir, lambda: lib.sb_context_set_shm_dir(ctx, _encode(str(shm_dir), "shm_dir"))),
                (timeout_ms, lambda: lib.sb_context_set_timeout_ms(ctx, timeout_ms)),
                (lease_ms, lambda: lib.sb_context_set_lease_ms(ctx, lease_ms)),
                (idle, lambda: lib.sb_context_set_idle(ctx, int(idle[0]), idle[1], idle[2])),
                (secret_file, lambda: lib.sb_context_set_secret_file(ctx, _encode(str(secret_file), "secret_file"))),
                (inbox_capacity, lambda: lib.sb_context_set_inbox_capacity(ctx, inbox_capacity)),
            ]
            for value, apply in settings:
                if value is not None and apply() < 0:
                    _fail("context")
            if lib.sb_context_set_error_handler(ctx, self._c_error, None) < 0:
                _fail("context")
            handle = ctypes.c_void_p()
            if lib.sb_client_connect(ctx, ctypes.byref(handle)) < 0:
                _fail("connect")
            self._handle = handle
        finally:
            lib.sb_context_close(ctx)

    # ---- lifecycle ---------------------------------------------------------------------------------------------

    def close(self):
        """Deregister, remove the inbox, close the connection. Idempotent."""
        if self._handle is not None:
            _lib.lib().sb_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _h(self):
        if self._handle is None:
            raise SwitchboardError("client", 1004, "this client is closed")
        return self._handle

    # ---- control calls -----------------------------------------------------------------------------------------

    def register(self, name, capabilities=()):
        """Register under a unique name (1..128 UTF-8 bytes) with up to 32 capabilities; returns the agent id."""
        caps = [_encode(c, "capability") for c in capabilities]
        array = (ctypes.c_char_p * max(1, len(caps)))(*caps)
        if _lib.lib().sb_register(self._h(), _encode(name, "name"), array if caps else None, len(caps), None) < 0:
            _fail(f"register '{name}'")
        self.name = name
        return self.agent_id

    @property
    def agent_id(self):
        """This agent's id, 0 before register."""
        return _lib.lib().sb_agent_id(self._h())

    @property
    def inbox_path(self):
        """This agent's inbox file, '' when it has none."""
        return _lib.lib().sb_inbox_path(self._h()).decode("utf-8")

    def lookup(self, name):
        """The registry's entry for a live agent of that name: a dict, or None when there is none."""
        info = _lib.sb_agent_info()
        found = _lib.lib().sb_lookup(self._h(), _encode(name, "name"), ctypes.byref(info))
        if found < 0:
            _fail(f"lookup '{name}'")
        if found == 0:
            return None
        return {"agent_id": info.agent_id, "pid": info.pid, "name": info.name.decode("utf-8"),
                "inbox": info.inbox.decode("utf-8"),
                "capabilities": [info.capabilities[i].value.decode("utf-8") for i in range(info.capability_count)]}

    def destination(self, agent, priority=Priority.CRITICAL):
        """Resolve a receiver (by name or id) once: for CRITICAL and BATCH its inbox is mapped."""
        handle = ctypes.c_void_p()
        lib = _lib.lib()
        if isinstance(agent, int):
            rc = lib.sb_destination_by_id(self._h(), agent, int(priority), ctypes.byref(handle))
        else:
            rc = lib.sb_destination_by_name(self._h(), _encode(agent, "agent"), int(priority), ctypes.byref(handle))
        if rc < 0:
            _fail(f"destination {agent!r}")
        return Destination(handle)

    def _named(self, function, what, name):
        out = ctypes.c_int64()
        if function(self._h(), _encode(name, what), ctypes.byref(out)) < 0:
            _fail(f"{what} '{name}'")
        return out.value

    def subscribe(self, topic):
        """Receive later publishes to the topic; returns its id."""
        return self._named(_lib.lib().sb_subscribe, "subscribe", topic)

    def consume(self, queue):
        """Become a competing consumer of a work queue; returns its id. Ack each item."""
        return self._named(_lib.lib().sb_consume, "consume", queue)

    def join_group(self, group):
        """Receive later multicasts to the group; returns its id."""
        return self._named(_lib.lib().sb_join_group, "join_group", group)

    # ---- data calls --------------------------------------------------------------------------------------------

    @staticmethod
    def _bytes(payload):
        if not isinstance(payload, (bytes, bytearray, memoryview)):
            raise TypeError(f"payload must be bytes-like, not {type(payload).__name__}")
        data = bytes(payload)
        return data, len(data)

    def send(self, destination, payload):
        """Send to a Destination (the hot path) or to an agent id at CRITICAL; returns an OfferStatus."""
        data, length = self._bytes(payload)
        lib = _lib.lib()
        if isinstance(destination, Destination):
            return OfferStatus(lib.sb_send(self._h(), destination._handle, data, length))
        return OfferStatus(lib.sb_send_to_id(self._h(), int(destination), int(Priority.CRITICAL), data, length))

    def publish(self, topic, priority, payload):
        """Publish to a topic (its name or id) through the router; returns an OfferStatus."""
        data, length = self._bytes(payload)
        topic_id = name_id(topic) if isinstance(topic, str) else topic
        return OfferStatus(_lib.lib().sb_publish(self._h(), topic_id, int(priority), data, length))

    def broadcast(self, priority, payload):
        """Send to every registered agent but this one, through the router."""
        data, length = self._bytes(payload)
        return OfferStatus(_lib.lib().sb_broadcast(self._h(), int(priority), data, length))

    def multicast(self, group, priority, payload):
        """Send to every member of a group (its name or id), through the router."""
        data, length = self._bytes(payload)
        group_id = name_id(group) if isinstance(group, str) else group
        return OfferStatus(_lib.lib().sb_multicast(self._h(), group_id, int(priority), data, length))

    def request(self, destination, payload, timeout_ns, on_response):
        """Send a request; on_response(correlation_id, Message or None on timeout) is called from poll.

        Returns the correlation id (positive) or a negative OfferStatus.
        """
        data, length = self._bytes(payload)
        correlation = _lib.lib().sb_request(self._h(), destination._handle, data, length, timeout_ns,
                                            self._c_response, None)
        if correlation > 0:
            self._pending[correlation] = on_response
            return correlation
        return OfferStatus(correlation)

    def respond(self, request, payload):
        """Answer a request Message (inside or after the handler)."""
        data, length = self._bytes(payload)
        m = request._as_c()
        return OfferStatus(_lib.lib().sb_respond(self._h(), ctypes.byref(m), data, length))

    def enqueue(self, queue, priority, payload):
        """Put a work item on a queue (its name or id) through the router; one consumer gets it, at least once."""
        data, length = self._bytes(payload)
        queue_id = name_id(queue) if isinstance(queue, str) else queue
        return OfferStatus(_lib.lib().sb_enqueue(self._h(), queue_id, int(priority), data, length))

    def ack(self, work_item):
        """Acknowledge a work item Message: it will not be delivered again."""
        m = work_item._as_c()
        return OfferStatus(_lib.lib().sb_ack(self._h(), ctypes.byref(m)))

    def poll(self, handler, limit=64):
        """Deliver what has arrived to handler(Message); responses go to their request's on_response.

        Returns the work done (0 when nothing came). An exception raised by a handler stops nothing inside the
        library (the C call completes) and is raised again here, after it.
        """
        self._poll_handler = handler
        self._callback_error = None
        try:
            work = _lib.lib().sb_poll(self._h(), self._c_message, None, limit)
        finally:
            self._poll_handler = None
        if self._callback_error is not None:
            error, self._callback_error = self._callback_error, None
            raise error
        if work < 0:
            raise SwitchboardError("poll", 1004, f"the router closed the connection ({OfferStatus(work).name})")
        return work

    def idle(self, work_count):
        """Wait as the client's idle strategy says when work_count is 0 (spin, then park until woken)."""
        _lib.lib().sb_idle(self._h(), work_count)

    @property
    def pending_requests(self):
        """Requests awaiting a response."""
        return _lib.lib().sb_pending_requests(self._h())

    # ---- callbacks from the library ----------------------------------------------------------------------------

    def _message_trampoline(self, clientd, message):
        if self._callback_error is not None or self._poll_handler is None:
            return
        try:
            self._poll_handler(Message(message.contents))
        except BaseException as ex:  # carried out of the C call, raised by poll
            self._callback_error = ex

    def _response_trampoline(self, clientd, correlation_id, response):
        on_response = self._pending.pop(correlation_id, None)
        if on_response is None or self._callback_error is not None:
            return
        try:
            on_response(correlation_id, Message(response.contents) if response else None)
        except BaseException as ex:
            self._callback_error = ex

    def _error_trampoline(self, clientd, correlation_id, code, text):
        decoded = text.decode("utf-8", "replace") if text else ""
        if self._on_error is None:
            self.errors.append((correlation_id, code, decoded))
            return
        try:
            self._on_error(correlation_id, code, decoded)
        except BaseException as ex:
            self._callback_error = ex

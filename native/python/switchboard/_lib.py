# Copyright 2025 Switchboard contributors.
"""ctypes declarations of libswitchboard's public header (native/include/switchboard.h), one for one.

Kept in the header's order and shape; tests/test_bindings.py compiles a C program that prints sizeof/offsetof of
the structs declared here and compares them with ctypes' own, so a change of the header that is not mirrored here
fails a test instead of corrupting memory.
"""
import ctypes
import ctypes.util
import os

LIBRARY_ENV = "SWITCHBOARD_LIBRARY"
"""Environment variable: the path of libswitchboard.so to load (else the system's library search path)."""

MAX_NAME_LENGTH = 128
MAX_CAPABILITIES = 32
MAX_CAPABILITY_LENGTH = 64
MAX_PATH_LENGTH = 4095

c_int64 = ctypes.c_int64
c_int32 = ctypes.c_int32
c_int = ctypes.c_int
c_size_t = ctypes.c_size_t
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p


class sb_message(ctypes.Structure):
    """A received message: valid only during the handler call (the payload points into the inbox)."""
    _fields_ = [
        ("source_agent_id", c_int64),
        ("target_id", c_int64),
        ("correlation_id", c_int64),
        ("timestamp_ns", c_int64),
        ("flags", ctypes.c_uint32),
        ("target_kind", c_int),
        ("pattern", c_int),
        ("priority", c_int),
        ("tier", c_int),
        ("payload", ctypes.POINTER(ctypes.c_uint8)),
        ("payload_length", c_size_t),
    ]


class sb_agent_info(ctypes.Structure):
    """What the registry knows of an agent."""
    _fields_ = [
        ("agent_id", c_int64),
        ("pid", c_int64),
        ("tiers", ctypes.c_uint8),
        ("capability_count", ctypes.c_uint32),
        ("name", ctypes.c_char * (MAX_NAME_LENGTH + 1)),
        ("inbox", ctypes.c_char * (MAX_PATH_LENGTH + 1)),
        ("capabilities", (ctypes.c_char * (MAX_CAPABILITY_LENGTH + 1)) * MAX_CAPABILITIES),
    ]


sb_message_handler = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(sb_message))
sb_response_handler = ctypes.CFUNCTYPE(None, c_void_p, c_int64, ctypes.POINTER(sb_message))
sb_error_handler = ctypes.CFUNCTYPE(None, c_void_p, c_int64, c_int, c_char_p)
sb_agent_event_handler = ctypes.CFUNCTYPE(None, c_void_p, c_int64, c_int, c_char_p)

# name: (restype, argtypes)
_FUNCTIONS = {
    "sb_errcode": (c_int, []),
    "sb_errmsg": (c_char_p, []),
    "sb_offer_status_name": (c_char_p, [c_int]),
    "sb_context_init": (c_int, [ctypes.POINTER(c_void_p)]),
    "sb_context_close": (None, [c_void_p]),
    "sb_context_set_socket_path": (c_int, [c_void_p, c_char_p]),
    "sb_context_set_shm_dir": (c_int, [c_void_p, c_char_p]),
    "sb_context_set_inbox_capacity": (c_int, [c_void_p, c_int64]),
    "sb_context_set_no_inbox": (c_int, [c_void_p, c_int]),
    "sb_context_set_secret_file": (c_int, [c_void_p, c_char_p]),
    "sb_context_set_timeout_ms": (c_int, [c_void_p, c_int64]),
    "sb_context_set_lease_ms": (c_int, [c_void_p, c_int32]),
    "sb_context_set_idle": (c_int, [c_void_p, c_int, c_int64, c_int64]),
    "sb_context_set_error_handler": (c_int, [c_void_p, sb_error_handler, c_void_p]),
    "sb_context_set_agent_event_handler": (c_int, [c_void_p, sb_agent_event_handler, c_void_p]),
    "sb_client_connect": (c_int, [c_void_p, ctypes.POINTER(c_void_p)]),
    "sb_register": (c_int, [c_void_p, c_char_p, ctypes.POINTER(c_char_p), c_size_t, ctypes.POINTER(sb_agent_info)]),
    "sb_lookup": (c_int, [c_void_p, c_char_p, ctypes.POINTER(sb_agent_info)]),
    "sb_lookup_by_id": (c_int, [c_void_p, c_int64, ctypes.POINTER(sb_agent_info)]),
    "sb_destination_by_id": (c_int, [c_void_p, c_int64, c_int, ctypes.POINTER(c_void_p)]),
    "sb_destination_by_name": (c_int, [c_void_p, c_char_p, c_int, ctypes.POINTER(c_void_p)]),
    "sb_destination_agent_id": (c_int64, [c_void_p]),
    "sb_destination_is_direct": (c_int, [c_void_p]),
    "sb_subscribe": (c_int, [c_void_p, c_char_p, ctypes.POINTER(c_int64)]),
    "sb_unsubscribe": (c_int, [c_void_p, c_char_p]),
    "sb_consume": (c_int, [c_void_p, c_char_p, ctypes.POINTER(c_int64)]),
    "sb_stop_consuming": (c_int, [c_void_p, c_char_p]),
    "sb_join_group": (c_int, [c_void_p, c_char_p, ctypes.POINTER(c_int64)]),
    "sb_leave_group": (c_int, [c_void_p, c_char_p]),
    "sb_watch_registry": (c_int, [c_void_p]),
    "sb_name_id": (c_int64, [c_char_p]),
    "sb_send": (c_int, [c_void_p, c_void_p, c_void_p, c_size_t]),
    "sb_send_to_id": (c_int, [c_void_p, c_int64, c_int, c_void_p, c_size_t]),
    "sb_publish": (c_int, [c_void_p, c_int64, c_int, c_void_p, c_size_t]),
    "sb_multicast": (c_int, [c_void_p, c_int64, c_int, c_void_p, c_size_t]),
    "sb_broadcast": (c_int, [c_void_p, c_int, c_void_p, c_size_t]),
    "sb_request": (c_int64, [c_void_p, c_void_p, c_void_p, c_size_t, c_int64, sb_response_handler, c_void_p]),
    "sb_respond": (c_int, [c_void_p, ctypes.POINTER(sb_message), c_void_p, c_size_t]),
    "sb_respond_to": (c_int, [c_void_p, c_int64, c_int64, c_int, c_void_p, c_size_t]),
    "sb_enqueue": (c_int, [c_void_p, c_int64, c_int, c_void_p, c_size_t]),
    "sb_ack": (c_int, [c_void_p, ctypes.POINTER(sb_message)]),
    "sb_ack_ids": (c_int, [c_void_p, c_int64, c_int64, c_int]),
    "sb_poll": (c_int, [c_void_p, sb_message_handler, c_void_p, c_int]),
    "sb_idle": (None, [c_void_p, c_int]),
    "sb_keep_alive": (None, [c_void_p]),
    "sb_agent_id": (c_int64, [c_void_p]),
    "sb_inbox_path": (c_char_p, [c_void_p]),
    "sb_pending_requests": (c_int, [c_void_p]),
    "sb_close": (None, [c_void_p]),
}

_lib = None


def library_path():
    """The library to load: $SWITCHBOARD_LIBRARY, else what the system's search path finds for 'switchboard'."""
    explicit = os.environ.get(LIBRARY_ENV)
    if explicit:
        return explicit
    found = ctypes.util.find_library("switchboard")
    return found if found else "libswitchboard.so"


def lib():
    """libswitchboard, loaded and declared on first use.

    Raises OSError naming the path tried and the environment variable when it cannot be loaded, and AttributeError
    naming the function when the library lacks one this package declares.
    """
    global _lib
    if _lib is None:
        path = library_path()
        try:
            loaded = ctypes.CDLL(path)
        except OSError as ex:
            raise OSError(f"cannot load libswitchboard from '{path}' ({ex}); set {LIBRARY_ENV} to the path of "
                          f"libswitchboard.so (built by CMake from native/)") from ex
        for name, (restype, argtypes) in _FUNCTIONS.items():
            function = getattr(loaded, name)
            function.restype = restype
            function.argtypes = argtypes
        _lib = loaded
    return _lib

# Copyright 2025 Switchboard contributors.
"""Switchboard agents in Python: a thin ctypes layer over libswitchboard, the C client library.

    from switchboard import Client, Priority
    with Client() as agent:                      # the router from SWITCHBOARD_SOCKET / SWITCHBOARD_SHM_DIR
        agent.register("py-agent", ["python"])
        to_java = agent.destination("java-agent", Priority.CRITICAL)
        agent.send(to_java, b"hello")
        while True:
            agent.idle(agent.poll(lambda m: print(m.pattern.name, m.payload)))
"""
from .client import (Client, Destination, FLAG_REDELIVERY, IdleKind, Message, OfferStatus, Pattern, Priority,
                     SwitchboardError, Tier, name_id)

__all__ = ["Client", "Destination", "FLAG_REDELIVERY", "IdleKind", "Message", "OfferStatus", "Pattern", "Priority",
           "SwitchboardError", "Tier", "name_id"]
__version__ = "0.1.0"

#!/usr/bin/env python3
# Copyright 2025 Switchboard contributors.
"""An example Switchboard agent in Python: serves Java (or C) agents, or asks them.

    python3 examples/agent.py NAME serve [--queue QUEUE] [--count N]
        echo every SEND back to its sender (CRITICAL), answer every request with its own payload, consume QUEUE and
        ack each item; stops after N messages in all when --count is given
    python3 examples/agent.py NAME request PEER COUNT
        COUNT requests to PEER (CRITICAL), one at a time, each response checked
    python3 examples/agent.py NAME produce QUEUE COUNT
        COUNT work items on QUEUE (CRITICAL, through the router)

The router is found as every agent finds it: SWITCHBOARD_SOCKET and SWITCHBOARD_SHM_DIR (or
SWITCHBOARD_RUNTIME_DIR), libswitchboard through SWITCHBOARD_LIBRARY (see native/python/README.md). Payloads are an
8-byte little-endian sequence number. Prints READY <agent id> once registered, DONE ... when finished, FAIL ... on
an error (exit 1).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from switchboard import Client, OfferStatus, Pattern, Priority  # noqa: E402

SEQ = struct.Struct("<q")


def fail(text):
    print("FAIL " + text, flush=True)
    sys.exit(1)


def serve(agent, queue, count):
    if queue:
        agent.consume(queue)
    print(f"READY {agent.agent_id}", flush=True)
    handled = {"send": 0, "request": 0, "work": 0}

    def on_message(m):
        if m.pattern == Pattern.SEND:
            status = agent.send(m.source_agent_id, m.payload)
            while status == OfferStatus.BACK_PRESSURED:
                status = agent.send(m.source_agent_id, m.payload)
            handled["send"] += 1
        elif m.pattern == Pattern.REQUEST:
            status = agent.respond(m, m.payload)
            while status == OfferStatus.BACK_PRESSURED:
                status = agent.respond(m, m.payload)
            handled["request"] += 1
        elif m.pattern == Pattern.WORK:
            status = agent.ack(m)
            while status == OfferStatus.BACK_PRESSURED:
                status = agent.ack(m)
            handled["work"] += 1
        else:
            return
        if status != OfferStatus.OK:
            fail(f"answering {m}: {status.name}")

    while count is None or sum(handled.values()) < count:
        agent.idle(agent.poll(on_message))
    print(f"DONE sends={handled['send']} requests={handled['request']} work={handled['work']}", flush=True)


def request(agent, peer, count):
    to_peer = agent.destination(peer, Priority.CRITICAL)
    print(f"READY {agent.agent_id}", flush=True)
    result = {"responses": 0, "timeouts": 0}
    for i in range(count):
        answered = []

        def on_response(correlation_id, response, i=i, answered=answered):
            answered.append(correlation_id)
            if response is None:
                result["timeouts"] += 1
            elif SEQ.unpack_from(response.payload)[0] != i:
                fail(f"response {i} carries {SEQ.unpack_from(response.payload)[0]}")
            else:
                result["responses"] += 1

        correlation = agent.request(to_peer, SEQ.pack(i), 30_000_000_000, on_response)
        while correlation == OfferStatus.BACK_PRESSURED:
            agent.poll(lambda m: None)
            correlation = agent.request(to_peer, SEQ.pack(i), 30_000_000_000, on_response)
        if correlation <= 0:
            fail(f"request {i}: {OfferStatus(correlation).name}")
        while not answered:
            agent.idle(agent.poll(lambda m: None))
        if answered != [correlation]:
            fail(f"request {i}: answered {answered}, sent as {correlation}")
    print(f"DONE requests={count} responses={result['responses']} timeouts={result['timeouts']}", flush=True)


def produce(agent, queue, count):
    print(f"READY {agent.agent_id}", flush=True)
    for i in range(count):
        status = agent.enqueue(queue, Priority.CRITICAL, SEQ.pack(i))
        while status == OfferStatus.BACK_PRESSURED:
            agent.poll(lambda m: None)
            status = agent.enqueue(queue, Priority.CRITICAL, SEQ.pack(i))
        if status != OfferStatus.OK:
            fail(f"enqueue {i}: {status.name}")
        agent.poll(lambda m: None)
    print(f"DONE enqueued={count}", flush=True)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    name, mode, rest = argv[1], argv[2], argv[3:]
    with Client() as agent:
        agent.register(name, ["python", "example"])
        if mode == "serve":
            queue = rest[rest.index("--queue") + 1] if "--queue" in rest else None
            count = int(rest[rest.index("--count") + 1]) if "--count" in rest else None
            serve(agent, queue, count)
        elif mode == "request" and len(rest) == 2:
            request(agent, rest[0], int(rest[1]))
        elif mode == "produce" and len(rest) == 2:
            produce(agent, rest[0], int(rest[1]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
        if agent.errors:
            fail(f"the router refused: {agent.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

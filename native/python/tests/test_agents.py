# Copyright 2025 Switchboard contributors.
"""Two Python agents on a real router (SWITCHBOARD_SOCKET): each pattern the package offers, end to end through
libswitchboard."""
import struct

import pytest

from switchboard import Client, OfferStatus, Pattern, Priority, SwitchboardError, Tier

SEQ = struct.Struct("<q")


def poll_until(agents, condition, what, polls=2_000_000):
    for _ in range(polls):
        if condition():
            return
        for agent, handler in agents:
            agent.poll(handler)
    pytest.fail(f"never happened: {what}")


@pytest.fixture
def pair(router, agent_name):
    a, b = Client(), Client()
    try:
        a.register(agent_name("a"), ["python"])
        b.register(agent_name("b"), ["python"])
        yield a, b
    finally:
        a.close()
        b.close()


def test_critical_sends_arrive_in_order_in_the_inbox(pair):
    a, b = pair
    to_b = a.destination(b.agent_id, Priority.CRITICAL)
    assert to_b.direct, "CRITICAL to a live agent with an inbox writes straight into it"
    received = []
    for i in range(1000):
        status = a.send(to_b, SEQ.pack(i))
        while status == OfferStatus.BACK_PRESSURED:
            b.poll(lambda m: received.append(m))
            status = a.send(to_b, SEQ.pack(i))
        assert status == OfferStatus.OK
    poll_until([(b, received.append)], lambda: len(received) == 1000, "1000 messages")
    assert [SEQ.unpack(m.payload)[0] for m in received] == list(range(1000))
    assert {m.tier for m in received} == {Tier.CRITICAL}
    assert {m.source_agent_id for m in received} == {a.agent_id}


def test_a_request_gets_its_response(pair):
    a, b = pair
    responses = []
    correlation = a.request(a.destination(b.agent_id), b"ping", 10_000_000_000,
                            lambda cid, m: responses.append((cid, m)))
    assert correlation > 0

    def answer(m):
        assert m.pattern == Pattern.REQUEST
        assert b.respond(m, m.payload + b"-pong") == OfferStatus.OK

    poll_until([(b, answer), (a, lambda m: None)], lambda: responses, "the response")
    cid, response = responses[0]
    assert cid == correlation
    assert response.payload == b"ping-pong"
    assert response.pattern == Pattern.RESPONSE


def test_a_request_nobody_answers_times_out(pair):
    a, b = pair
    outcome = []
    a.request(a.destination(b.agent_id), b"?", 1_000_000, lambda cid, m: outcome.append(m))
    poll_until([(a, lambda m: None)], lambda: outcome, "the timeout", polls=50_000_000)
    assert outcome == [None]


def test_work_items_reach_the_consumer_and_are_acked(pair, agent_name):
    a, b = pair
    queue = agent_name("queue")
    b.consume(queue)
    items = []

    def take(m):
        assert m.pattern == Pattern.WORK
        items.append(SEQ.unpack(m.payload)[0])
        assert b.ack(m) == OfferStatus.OK

    for i in range(100):
        assert a.enqueue(queue, Priority.NORMAL, SEQ.pack(i)) == OfferStatus.OK
    poll_until([(b, take), (a, lambda m: None)], lambda: len(items) >= 100, "100 work items")
    assert sorted(set(items)) == list(range(100))


def test_a_publish_reaches_the_subscriber(pair, agent_name):
    a, b = pair
    topic = agent_name("topic")
    b.subscribe(topic)
    got = []
    assert a.publish(topic, Priority.NORMAL, b"news") == OfferStatus.OK
    poll_until([(b, got.append)], lambda: got, "the publish")
    assert got[0].pattern == Pattern.PUBLISH and got[0].payload == b"news"


def test_a_handlers_exception_is_raised_by_poll(pair):
    a, b = pair
    assert a.send(a.destination(b.agent_id), b"x") == OfferStatus.OK

    def boom(m):
        raise ValueError("from the handler")

    with pytest.raises(ValueError, match="from the handler"):
        poll_until([(b, boom)], lambda: False, "an exception", polls=1_000_000)


def test_a_taken_name_is_refused_with_the_routers_code(pair):
    a, _ = pair
    with Client() as c:
        with pytest.raises(SwitchboardError) as raised:
            c.register(a.name)
        assert raised.value.code == 10  # the router's ErrorCode NAME_TAKEN

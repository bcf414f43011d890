package dev.switchboard.router;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Error and Ack every part of the router answers with, and how failed control sends are counted.
 */
class ControlRepliesTest
{
    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final ControlReplies replies = new ControlReplies(counters.block());
    private final FakeSession session = new FakeSession(1);

    @Test
    void errorCarriesCorrelationCodeAndText()
    {
        replies.sendError(session, 42, ErrorCode.UNKNOWN_AGENT, "no agent 7");

        assertEquals(42, session.lastError().correlationId());
        assertEquals(ErrorCode.UNKNOWN_AGENT, session.lastError().code());
        assertEquals("no agent 7", session.lastError().text());
        assertEquals(0, counters.block().get(RouterCounter.CONTROL_ERRORS), "an Error alone is not a refusal");
    }

    @Test
    void errorTextIsCutToTheWireLimit()
    {
        replies.sendError(session, 1, ErrorCode.MALFORMED, "x".repeat(WireLimits.MAX_TEXT_LENGTH + 10));

        assertEquals(WireLimits.MAX_TEXT_LENGTH, session.lastError().text().length());
    }

    @Test
    void refusalIsCountedAndAnswered()
    {
        replies.refuse(session, 9, ErrorCode.NAME_INVALID, "bad name");

        assertEquals(1, counters.block().get(RouterCounter.CONTROL_ERRORS));
        assertEquals(9, session.lastError().correlationId());
    }

    @Test
    void ackCarriesTheResolvedId()
    {
        replies.sendAck(session, 5, 77);

        assertEquals(5, session.ack(0).correlationId());
        assertEquals(77, session.ack(0).resolvedId());
    }

    @Test
    void anOpenSessionThatCannotTakeAFrameIsCounted()
    {
        session.controlStatus = OfferStatus.BACK_PRESSURED;

        replies.sendAck(session, 1, 0);

        assertEquals(1, counters.block().get(RouterCounter.CONTROL_ERRORS));
    }

    @Test
    void aClosedSessionThatCannotTakeAFrameIsNotCounted()
    {
        session.controlStatus = OfferStatus.NOT_CONNECTED;
        session.open = false;

        replies.sendAck(session, 1, 0);

        assertEquals(0, counters.block().get(RouterCounter.CONTROL_ERRORS));
    }
}

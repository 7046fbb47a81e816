import type { HandoffTrace } from '@baton/core';
import { agentDataEntries, type AgentView } from '@baton/sandbox';
import type { HandoffObservation } from '@baton/bridge/conversations';
import type { AgentPanelView, HandoffView, OrgHandoffView } from './chat-protocol.js';

/** The sandbox agent's view for the panel: agent-visible entries first, in the order they were written. */
export function agentPanelViewOf(view: AgentView): AgentPanelView {
  return {
    agent: view.agent.name,
    queue: view.queue.name,
    ...(view.priority !== undefined ? { priority: view.priority } : {}),
    answeredAt: view.answeredAt,
    participantData: agentDataEntries(view.participantData),
    messages: view.messages.map((m) => ({ from: m.from, text: m.text, at: m.at })),
  };
}

/** What the panel says on a real org: where the view comes from, and where Baton's trace is. */
export const ORG_HANDOFF_NOTE =
  "UNCONFIRMED (not yet run against a real org): read through the Platform API (the conversation from your message's details, its queue participant, the customer's participant data). Baton's decision and trace are in the deployed bridge, not shown here.";

/** A real org's handoff as the Platform API shows it, participant data as the agent would see it. */
export function orgHandoffViewOf(o: HandoffObservation): OrgHandoffView {
  return {
    queue: o.queue.name,
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
    agentAnswered: o.agentAnswered,
    settled: o.settled,
    participantData: agentDataEntries(o.participantData),
    note: ORG_HANDOFF_NOTE,
  };
}

/** Baton's newest handoff trace of the conversation, with the rules that chose its decision and queue. */
export function handoffViewOf(trace: HandoffTrace, rules: { decisionRule?: string; routingRule?: string }): HandoffView {
  return {
    handoffId: trace.handoffId,
    status: trace.status,
    durationMs: trace.durationMs,
    ...(rules.decisionRule !== undefined ? { decisionRule: rules.decisionRule } : {}),
    ...(rules.routingRule !== undefined ? { routingRule: rules.routingRule } : {}),
    steps: trace.steps.map((s) => ({
      step: s.step,
      outcome: s.outcome,
      summary: s.summary,
      durationMs: s.durationMs,
      calls: s.calls.map((c) => ({
        method: c.method,
        path: c.path,
        status: c.status,
        durationMs: c.durationMs,
        retries: c.retries,
        ...(c.error !== undefined ? { error: c.error } : {}),
      })),
    })),
    ...(trace.error ? { error: `${trace.error.code}: ${trace.error.message}` } : {}),
  };
}
